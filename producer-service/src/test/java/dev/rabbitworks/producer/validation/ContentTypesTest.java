package dev.rabbitworks.producer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypesTest {

    @Test
    void publishesTheMediaTypeWithoutParameters() {
        assertEquals("text/plain", ContentTypes.publishable("Text/Plain; charset=UTF-8"));
        assertEquals("application/json", ContentTypes.publishable("application/json;charset=\"utf-8\""));
    }

    @Test
    void noHeaderMeansNoContentType() {
        assertNull(ContentTypes.publishable(null));
    }

    @ParameterizedTest
    @ValueSource(strings = { "text/plain; charset=iso-8859-1", "text/plain; charset=utf-16", "nonsense", "a/b/c" })
    void refusesOtherCharsetsAndUnreadableTypes(String header) {
        assertThrows(UnsupportedContentType.class, () -> ContentTypes.publishable(header));
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/xml", "application/octet-stream", "text/html" })
    void tasksAreTextOrJsonOnly(String header) {
        assertThrows(UnsupportedContentType.class, () -> ContentTypes.forTask(header));
    }

    @Test
    void aTaskNeedsAContentType() {
        assertThrows(UnsupportedContentType.class, () -> ContentTypes.forTask(null));
    }
}
