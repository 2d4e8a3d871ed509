package org.chatcorpus.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptKeyTest {
    @Test
    void caseWhitespaceAndCompatibilityFormsDoNotMakeAnotherPrompt() {
        assertThat(PromptKey.normalize("  Hello\u00A0\tWORLD \n")).isEqualTo("hello world");
        assertThat(PromptKey.normalize("ｈｅｌｌｏ　ｗｏｒｌｄ")).isEqualTo("hello world"); // full-width forms and ideographic space
        assertThat(PromptKey.normalize("ﬁle")).isEqualTo("file"); // ligature
        assertThat(PromptKey.hash("Hello  world")).isEqualTo(PromptKey.hash("hello world"));
    }

    @Test
    void differentWordsStayDifferent() {
        assertThat(PromptKey.hash("hello world")).isNotEqualTo(PromptKey.hash("hello, world"));
        assertThat(PromptKey.normalize("a b")).isNotEqualTo(PromptKey.normalize("ab"));
    }

    @Test
    void nullAndLoneSurrogatesAreSafe() {
        assertThat(PromptKey.normalize(null)).isEmpty();
        assertThat(PromptKey.normalize("x\ud800")).isEqualTo("x\uFFFD");
    }
}
