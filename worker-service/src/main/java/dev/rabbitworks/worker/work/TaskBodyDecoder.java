package dev.rabbitworks.worker.work;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bodies are UTF-8 text; anything else cannot be worked on and must not be guessed at. */
public final class TaskBodyDecoder {

    private TaskBodyDecoder() {
    }

    /** The body as text, or throws when it is not valid UTF-8 (a lenient decoder would hide that). */
    public static String decode(byte[] body) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body))
                .toString();
    }
}
