package dev.rabbitworks.rpc.procedure;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request's body as it came off the wire, decoded only when a procedure asks for it (so a
 * procedure that ignores its argument also ignores a broken body).
 *
 * @param body the raw bytes
 * @param contentType the message's content type; absent for pika and the tutorials' clients
 * @param contentEncoding the message's content encoding; absent almost always
 */
public record RequestArgument(byte[] body, Optional<String> contentType, Optional<String> contentEncoding) {

    public static RequestArgument text(String text) {
        return new RequestArgument(text.getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty());
    }

    /**
     * The argument as text: the body decoded as strict UTF-8. For application/json, a JSON string or
     * number is unwrapped ({@code "42"} and {@code 42} both give {@code 42}).
     *
     * @throws BadArgumentException when the body is compressed or otherwise encoded, or not valid UTF-8
     */
    public String text() throws BadArgumentException {
        Optional<String> encoding = contentEncoding.map(e -> e.trim().toLowerCase(Locale.ROOT)).filter(e -> !e.isEmpty());
        if (encoding.isPresent() && !encoding.get().equals("identity") && !encoding.get().equals("utf-8")) {
            throw new BadArgumentException("unsupported content encoding: bodies must be plain UTF-8 text");
        }
        String text = decodeUtf8(body);
        if (isJson()) {
            JsonNode node = Json.readOrNull(text);
            if (node != null && (node.isTextual() || node.isNumber())) {
                return node.asText();
            }
        }
        return text;
    }

    private boolean isJson() {
        return contentType.map(type -> type.toLowerCase(Locale.ROOT).startsWith("application/json")).orElse(false);
    }

    private static String decodeUtf8(byte[] bytes) throws BadArgumentException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadArgumentException("the body is not valid UTF-8 text");
        }
    }
}
