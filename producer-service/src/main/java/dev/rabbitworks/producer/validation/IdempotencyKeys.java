package dev.rabbitworks.producer.validation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Idempotency-Key request header (IETF httpapi idempotency-key draft): a structured-field string, so it may come
 * quoted ({@code "abc"}) or bare ({@code abc}); 1 to 255 bytes of visible ASCII (and spaces) once unquoted. The
 * request's fingerprint, to tell a retry from another request under the same key, is a SHA-256 of its content type
 * and body.
 */
public final class IdempotencyKeys {

    public static final int MAX_BYTES = 255;

    private IdempotencyKeys() {
    }

    /** The key, unquoted; null when the header is absent; {@link InvalidInput} when it is empty or malformed. */
    public static String validate(String header) {
        if (header == null) {
            return null;
        }
        String key = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1)
                : header;
        if (key.isEmpty()) {
            throw new InvalidInput("the Idempotency-Key is empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new InvalidInput("the Idempotency-Key is " + bytes + " bytes long; at most " + MAX_BYTES
                    + " are allowed");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                throw new InvalidInput("the Idempotency-Key may hold visible ASCII characters only (no quotes or"
                        + " backslashes inside)");
            }
        }
        return key;
    }

    /** Hex SHA-256 of the content type and the body: the same request gives the same fingerprint. */
    public static String fingerprint(String contentType, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(String.valueOf(contentType).getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(body);
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
