package dev.rabbitworks.producer.validation;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: text in this system is UTF-8, and a bad byte is an error, not a U+FFFD. */
public final class Utf8 {

    private Utf8() {
    }

    public static String decode(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInput(what + " is not valid UTF-8");
        }
    }

    /** Checks that {@code bytes} are UTF-8 as {@link #decode} would, without building the text. */
    public static void requireValid(byte[] bytes, String what) {
        if (!isValid(bytes, 0, bytes.length)) {
            throw new InvalidInput(what + " is not valid UTF-8");
        }
    }

    /**
     * Well-formed UTF-8 (RFC 3629, as the JDK's decoder reads it): no overlong forms, no surrogates, nothing
     * above U+10FFFF, no truncated sequence.
     */
    public static boolean isValid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b >= 0) { // ASCII, by far the most common
                i++;
                continue;
            }
            b &= 0xFF;
            if (b < 0xC2) {
                return false; // a continuation byte first, or an overlong 2-byte form
            }
            if (b < 0xE0) {
                if (i + 1 >= to || !continuation(bytes[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (b < 0xF0) {
                if (i + 2 >= to || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])) {
                    return false;
                }
                int second = bytes[i + 1] & 0xFF;
                if ((b == 0xE0 && second < 0xA0) || (b == 0xED && second >= 0xA0)) {
                    return false; // overlong, or a surrogate
                }
                i += 3;
            } else if (b < 0xF5) {
                if (i + 3 >= to || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])
                        || !continuation(bytes[i + 3])) {
                    return false;
                }
                int second = bytes[i + 1] & 0xFF;
                if ((b == 0xF0 && second < 0x90) || (b == 0xF4 && second >= 0x90)) {
                    return false; // overlong, or above U+10FFFF
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
