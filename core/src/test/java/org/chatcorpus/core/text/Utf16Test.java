package org.chatcorpus.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf16Test {
    @Test
    void wellFormedTextIsReturnedAsTheSameInstance() {
        String s = "héllo 😀 \u0000 world";
        assertThat(Utf16.scrub(s)).isSameAs(s);
        assertThat(Utf16.isWellFormed(s)).isTrue();
    }

    @Test
    void loneHighAndLowSurrogatesBecomeReplacementCharacters() {
        assertThat(Utf16.scrub("a\ud800b")).isEqualTo("a\uFFFDb");
        assertThat(Utf16.scrub("a\udc00b")).isEqualTo("a\uFFFDb");
        assertThat(Utf16.scrub("\ud800")).isEqualTo("\uFFFD");
        assertThat(Utf16.scrub("x\ud83d")).isEqualTo("x\uFFFD");
        assertThat(Utf16.scrub("\udc00\ud800")).isEqualTo("\uFFFD\uFFFD");
    }

    @Test
    void pairsNextToLoneSurrogatesAreKept() {
        String s = "\ud800\ud83d\ude00\udc00";
        assertThat(Utf16.scrub(s)).isEqualTo("\uFFFD😀\uFFFD");
    }

    @Test
    void scrubbedTextRoundTripsThroughUtf8() {
        String scrubbed = Utf16.scrub("q\ud800r\udfffs");
        byte[] utf8 = scrubbed.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(scrubbed);
    }

    @Test
    void nullStaysNull() {
        assertThat(Utf16.scrub(null)).isNull();
    }
}
