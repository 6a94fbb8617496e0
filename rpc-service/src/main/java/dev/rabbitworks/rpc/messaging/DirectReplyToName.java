package dev.rabbitworks.rpc.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks the suffix of a direct reply-to name ({@code amq.rabbitmq.reply-to.<pid>.<key>}) against the
 * one structure every RabbitMQ from 3.10 to 4.x hands out. Some brokers crash the publishing
 * connection (541 INTERNAL_ERROR) while decoding a name they did not make, so only names of that
 * exact shape may be published to.
 * <p>
 * The broker builds the suffix as (3.10-4.1 {@code rabbit_direct_reply_to:compute_key_and_suffix*},
 * 4.2+ {@code rabbit_volatile_queue:new_name}):
 * <ul>
 * <li>{@code <pid>}: base64 of the external term format of the consuming channel's pid, written by
 * {@code pid_recomposition:to_binary} / {@code rabbit_pid_codec:recompose_to_binary}: 131 (version),
 * 88 (NEW_PID_EXT), 118 (ATOM_UTF8_EXT), node name length (16 bits), node name, then id, serial and
 * creation (32 bits each). The node name is {@code reply@<erlang:phash2(Node)>}: a decimal below 2^27.</li>
 * <li>{@code <key>}: base64 of {@code rabbit_guid:gen()}, 16 bytes.</li>
 * </ul>
 * Base64 is Erlang's {@code base64:encode}: the standard alphabet with padding.
 */
final class DirectReplyToName {

    static final String PREFIX = "amq.rabbitmq.reply-to.";

    private static final int VERSION_MAGIC = 131;
    private static final int NEW_PID_EXT = 88;
    private static final int ATOM_UTF8_EXT = 118;
    private static final int PID_NUMBERS_BYTES = 3 * Integer.BYTES;
    private static final String NODE_PREFIX = "reply@";
    /** erlang:phash2/1 returns 0..2^27-1. */
    private static final long NODE_HASH_LIMIT = 1L << 27;
    private static final int KEY_BYTES = 16;

    private DirectReplyToName() {
    }

    /** Why {@code name} (which starts with {@link #PREFIX}) is not a name the broker made; empty when it is. */
    static Optional<String> problem(String name) {
        String suffix = name.substring(PREFIX.length());
        int dot = suffix.indexOf('.');
        if (dot < 0 || suffix.indexOf('.', dot + 1) >= 0) {
            return Optional.of("direct reply-to suffix is not <pid>.<key>");
        }
        byte[] pid = canonicalBase64(suffix.substring(0, dot));
        byte[] key = canonicalBase64(suffix.substring(dot + 1));
        if (pid == null || key == null) {
            return Optional.of("direct reply-to suffix is not base64");
        }
        if (key.length != KEY_BYTES) {
            return Optional.of("direct reply-to key is not " + KEY_BYTES + " bytes");
        }
        if (!isReplyPid(pid)) {
            return Optional.of("direct reply-to pid is not a pid term the broker writes");
        }
        return Optional.empty();
    }

    /** The decoded bytes, or null unless {@code text} is exactly what Erlang's base64:encode writes for them. */
    private static byte[] canonicalBase64(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isReplyPid(byte[] term) {
        ByteBuffer in = ByteBuffer.wrap(term);
        if (in.remaining() < 5 || Byte.toUnsignedInt(in.get()) != VERSION_MAGIC
                || Byte.toUnsignedInt(in.get()) != NEW_PID_EXT || Byte.toUnsignedInt(in.get()) != ATOM_UTF8_EXT) {
            return false;
        }
        int nodeLength = Short.toUnsignedInt(in.getShort());
        if (in.remaining() != nodeLength + PID_NUMBERS_BYTES) {
            return false;
        }
        byte[] node = new byte[nodeLength];
        in.get(node);
        return isReplyNode(new String(node, StandardCharsets.US_ASCII));
    }

    private static boolean isReplyNode(String node) {
        if (!node.startsWith(NODE_PREFIX)) {
            return false;
        }
        String hash = node.substring(NODE_PREFIX.length());
        if (hash.isEmpty() || hash.length() > 9 || !hash.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return Long.parseLong(hash) < NODE_HASH_LIMIT;
    }
}
