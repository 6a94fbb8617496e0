package dev.rabbitworks.subscriber.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TruncationTest {

    @Test
    void shortTextIsKept() {
        assertEquals("abc", Truncation.cut("abc", 3));
    }

    @Test
    void longTextIsCutAndSaysHowMuch() {
        assertEquals("abc…[2 more chars]", Truncation.cut("abcde", 3));
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String text = "ab\uD83D\uDE00cd"; // an emoji made of two chars at index 2 and 3
        assertEquals("ab…[4 more chars]", Truncation.cut(text, 3));
    }
}
