package dev.rabbitworks.rpc.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyToValidatorTest {

    /** Handed out by RabbitMQ 3.10.8 to a channel consuming amq.rabbitmq.reply-to (pid on reply@9502653). */
    static final String FROM_RABBITMQ_3_10 =
            "amq.rabbitmq.reply-to.g1h2AA1yZXBseUA5NTAyNjUzAAAfoQAAAABrD8Xn.6LKSZ1hwTSJrSzQcFzpr0Q==";
    /** The security review's name: a PID_EXT with an ATOM_EXT node cut short; crashes 3.10-4.0 channels. */
    static final String MALFORMED = "amq.rabbitmq.reply-to.g2dkAAAAAA==.AAAA";

    private static final String PID = "g1h2AA1yZXBseUA5NTAyNjUzAAAfoQAAAABrD8Xn";
    private static final String KEY = "6LKSZ1hwTSJrSzQcFzpr0Q==";
    private static final int ATOM_UTF8_EXT = 118;
    private static final int SMALL_ATOM_UTF8_EXT = 119;

    @ParameterizedTest
    @ValueSource(strings = { "rpc-replies", "amq.gen-JzTY20BRgKO-HjmUJj0wLg", "réponses.client-1", "a" })
    void acceptsQueueNames(String replyTo) {
        assertEquals(Optional.empty(), ReplyToValidator.problem(replyTo));
    }

    @Test
    void acceptsQueueNamesUpTo255Bytes() {
        assertEquals(Optional.empty(), ReplyToValidator.problem("q".repeat(255)));
        assertEquals(Optional.empty(), ReplyToValidator.problem("é".repeat(127) + "q"));
    }

    @Test
    void acceptsTheDirectReplyToNamesBrokersHandOut() {
        assertEquals(Optional.empty(), ReplyToValidator.problem(FROM_RABBITMQ_3_10));
        // rabbit_volatile_queue:new_name (4.2+) writes the same term; the node hash is 0..2^27-1.
        assertEquals(Optional.empty(), ReplyToValidator.problem(directReplyTo(pidTerm(ATOM_UTF8_EXT, "reply@0"), 16)));
        assertEquals(Optional.empty(),
                ReplyToValidator.problem(directReplyTo(pidTerm(ATOM_UTF8_EXT, "reply@134217727"), 16)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            MALFORMED,
            "amq.rabbitmq.reply-to.no-such-caller", // no dot
            "amq.rabbitmq.reply-to.",
            "amq.rabbitmq.reply-to",
            "amq.rabbitmq.reply-to.%%%.AAAA", // not base64
            "amq.rabbitmq.reply-to." + PID + ".", // empty key
            "amq.rabbitmq.reply-to.." + KEY, // empty pid
            "amq.rabbitmq.reply-to." + PID + ".." + KEY,
            "amq.rabbitmq.reply-to." + PID + "." + KEY + ".x",
            "amq.rabbitmq.reply-to." + PID + ".6LKSZ1hwTSJrSzQcFzpr0Q", // key without padding
            "amq.rabbitmq.reply-to." + PID + ".6LKSZ1hwTSJrSzQcFzpr0R==", // non-zero padding bits
            "amq.rabbitmq.reply-to.g1h2AA1yZXBseUA5NTAyNjUzAAAfoQAAAABrD8Xn." + "AAAAAAAAAAAAAAAAAAAA", // 15-byte key
            "amq.rabbitmq.reply-to.g1h2AA1yZXBseUA5NTAyNjUzAAAfoQAAAABrD8X=." + KEY, // pid, last byte cut
            "amq.rabbitmq.reply-to.g1h2AA1yZXBseUA5NTAyNjUzAAAfoQAAAABrD8Xn\n." + KEY,
            "amq.rabbitmq.reply-to.g1h2AA1yZXBseUA5NTAyNjUzAAAfoQAAAABrD8Xn-." + KEY,
    })
    void refusesMalformedDirectReplyToNames(String replyTo) {
        assertTrue(ReplyToValidator.problem(replyTo).isPresent(), replyTo);
    }

    @Test
    void refusesPidTermsNoBrokerWrites() {
        byte[] term = pidTerm(ATOM_UTF8_EXT, "reply@9502653");
        assertTrue(ReplyToValidator.problem(directReplyTo(Arrays.copyOf(term, term.length - 1), 16)).isPresent(),
                "truncated term");
        assertTrue(ReplyToValidator.problem(directReplyTo(Arrays.copyOf(term, term.length + 1), 16)).isPresent(),
                "trailing byte");
        assertTrue(ReplyToValidator.problem(directReplyTo(Arrays.copyOf(term, 5), 16)).isPresent(), "no node");
        assertTrue(ReplyToValidator.problem(directReplyTo(pidTerm(SMALL_ATOM_UTF8_EXT, "reply@9502653"), 16))
                .isPresent(), "small atom");
        byte[] notAPid = term.clone();
        notAPid[1] = 103; // PID_EXT, Erlang 22
        assertTrue(ReplyToValidator.problem(directReplyTo(notAPid, 16)).isPresent(), "PID_EXT");
        byte[] noVersion = term.clone();
        noVersion[0] = 0;
        assertTrue(ReplyToValidator.problem(directReplyTo(noVersion, 16)).isPresent(), "no version byte");
        assertTrue(ReplyToValidator.problem(directReplyTo(term, 15)).isPresent(), "short key");
        assertTrue(ReplyToValidator.problem(directReplyTo(term, 17)).isPresent(), "long key");
    }

    @ParameterizedTest
    @ValueSource(strings = { "rabbit@vm", "reply@", "reply@abc", "reply@-1", "reply@+1", "reply@134217728",
            "reply@9999999999", "reply@1@2", "replies@1" })
    void refusesNodeNamesNoBrokerWrites(String node) {
        assertTrue(ReplyToValidator.problem(directReplyTo(pidTerm(ATOM_UTF8_EXT, node), 16)).isPresent(), node);
    }

    @ParameterizedTest
    @ValueSource(strings = { "amq.direct", "amq.rabbitmq.trace", "amq.gen", "amq.", "amq.rabbitmq.reply-to-x" })
    void refusesOtherNamesReservedByTheBroker(String replyTo) {
        assertTrue(ReplyToValidator.problem(replyTo).isPresent(), replyTo);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "replies\n", "replies\r\nforged log line", "\u0000", "tab\there", "del\u007f",
            "c1\u0085control" })
    void refusesEmptyNamesAndControlCharacters(String replyTo) {
        assertTrue(ReplyToValidator.problem(replyTo).isPresent(), replyTo);
    }

    @Test
    void refusesNamesLongerThanAShortString() {
        assertTrue(ReplyToValidator.problem("q".repeat(256)).isPresent());
        // What the client makes of 86 bytes of invalid UTF-8: 86 U+FFFD, 258 bytes once re-encoded.
        assertTrue(ReplyToValidator.problem("\uFFFD".repeat(86)).isPresent());
    }

    @Test
    void aShortStringIsAtMost255BytesOfUtf8() {
        assertTrue(ShortString.fits("\uFFFD".repeat(85)));
        assertTrue(!ShortString.fits("\uFFFD".repeat(86)));
    }

    /** A direct reply-to name encoded as the broker does, from a pid term and a key of the given length. */
    static String directReplyTo(byte[] pidTerm, int keyBytes) {
        byte[] key = new byte[keyBytes];
        Arrays.fill(key, (byte) 0x5a);
        Base64.Encoder base64 = Base64.getEncoder();
        return "amq.rabbitmq.reply-to." + base64.encodeToString(pidTerm) + "." + base64.encodeToString(key);
    }

    /** pid_recomposition:to_binary / rabbit_pid_codec:recompose_to_binary, with the given atom tag. */
    static byte[] pidTerm(int atomTag, String node) {
        byte[] name = node.getBytes(StandardCharsets.UTF_8);
        boolean small = atomTag == SMALL_ATOM_UTF8_EXT;
        ByteBuffer term = ByteBuffer.allocate(3 + (small ? 1 : 2) + name.length + 12);
        term.put((byte) 131).put((byte) 88).put((byte) atomTag);
        if (small) {
            term.put((byte) name.length);
        } else {
            term.putShort((short) name.length);
        }
        return term.put(name).putInt(8097).putInt(0).putInt(0x6b0fc5e7).array();
    }
}
