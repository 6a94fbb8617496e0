package dev.rabbitworks.producer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rabbitworks.producer.validation.TaskBatches.BatchTask;

class TaskBatchesTest {

    @Test
    void stringsAreTextTasksAndOtherValuesJsonTasks() {
        List<BatchTask> tasks = TaskBatches.parse(bytes("[\"resize...\", {\"job\": \"x\", \"n\": [1, 2]}, 42, \"caf\u00e9\"]"), 10);

        assertEquals(4, tasks.size());
        assertEquals(ContentTypes.TEXT_PLAIN, tasks.get(0).contentType());
        assertEquals("resize...", text(tasks.get(0)));
        assertEquals(ContentTypes.APPLICATION_JSON, tasks.get(1).contentType());
        assertEquals("{\"job\": \"x\", \"n\": [1, 2]}", text(tasks.get(1)));
        assertEquals("42", text(tasks.get(2)));
        assertEquals("caf\u00e9", text(tasks.get(3)));
    }

    /** A 202 promises the tasks as sent: a JSON task is the element's bytes, never a re-serialization. */
    @Test
    void jsonTasksAreTheBytesTheClientSent() {
        String[] elements = { "1e400", "-1e400", "1.00000000000000000001", "{\"a\":1,\"a\":2}", "-0", "1E2",
                "[ 1 ,\n 2 ]", "{\"s\": \"\\ud800\"}", "true", "null", "12345678901234567890123456789" };
        List<BatchTask> tasks = TaskBatches.parse(bytes("[" + String.join(" , ", elements) + "]"), 20);

        assertEquals(elements.length, tasks.size());
        for (int i = 0; i < elements.length; i++) {
            assertEquals(ContentTypes.APPLICATION_JSON, tasks.get(i).contentType());
            assertEquals(elements[i], text(tasks.get(i)), "element " + i);
        }
    }

    @Test
    void aStringWithAnUnpairedSurrogateIsRefusedNamingTheElement() {
        InvalidInput refused = assertThrows(InvalidInput.class,
                () -> TaskBatches.parse(bytes("[\"a\", \"\\ud800\"]"), 10));
        assertTrue(refused.getMessage().startsWith("task 1 "), refused.getMessage());
        assertEquals("\ud83d\ude00", text(TaskBatches.parse(bytes("[\"\\ud83d\\ude00\"]"), 1).get(0)));
    }

    @Test
    void aByteOrderMarkIsRefused() {
        assertThrows(InvalidInput.class, () -> TaskBatches.parse(bytes("\ufeff[\"a\"]"), 10));
    }

    @Test
    void escapedStringsArePublishedAsTheirText() {
        assertEquals("line\none \"quoted\"", text(TaskBatches.parse(bytes("[\"line\\none \\\"quoted\\\"\"]"), 1).get(0)));
    }

    @Test
    void takesExactlyTheLimit() {
        assertEquals(3, TaskBatches.parse(bytes("[\"a\",\"b\",\"c\"]"), 3).size());
        assertThrows(InvalidInput.class, () -> TaskBatches.parse(bytes("[\"a\",\"b\",\"c\",\"d\"]"), 3));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "[]", "[\"\"]", "[\"a\", \"\"]", "{\"a\": 1}", "\"a\"", "[\"a\"", "[\"a\",]",
            "[\"a\"] [\"b\"]", "[\"a\"] x", "not json", "[{]" })
    void refusesWhatIsNotANonEmptyArrayOfTasks(String body) {
        assertThrows(InvalidInput.class, () -> TaskBatches.parse(bytes(body), 10));
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] latin1 = "[\"caf\u00e9\"]".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(InvalidInput.class, () -> TaskBatches.parse(latin1, 10));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(BatchTask task) {
        return new String(task.body(), StandardCharsets.UTF_8);
    }
}
