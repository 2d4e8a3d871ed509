package org.chatcorpus.usecases.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JudgeRepliesTest {
    @Test
    void aRatingIsReadFromDoubleBracketsAsCommonPyDoes() {
        assertThat(JudgeReplies.rating("Good answer. Rating: [[7]]")).contains(7.0);
        assertThat(JudgeReplies.rating("[[8.5]] is my rating")).contains(8.5);
        assertThat(JudgeReplies.rating("first [[3]] then [[9]]")).contains(3.0);
    }

    @Test
    void aRatingFallsBackToSingleBracketsOnlyWhenNoDoubleBracketsMatch() {
        assertThat(JudgeReplies.rating("Rating: [6]")).contains(6.0);
        assertThat(JudgeReplies.rating("see [2] but Rating: [[9]]")).contains(9.0);
    }

    @Test
    void aReplyWithoutABracketedNumberHasNoRating() {
        assertThat(JudgeReplies.rating("I would give it a 7 out of 10.")).isEmpty();
        assertThat(JudgeReplies.rating("Rating: [[seven]]")).isEmpty();
        assertThat(JudgeReplies.rating("")).isEmpty();
    }

    @Test
    void aVerdictChecksAThenBThenC() {
        assertThat(JudgeReplies.verdict("Final verdict: [[A]]")).contains(Verdict.A);
        assertThat(JudgeReplies.verdict("[[B]]")).contains(Verdict.B);
        assertThat(JudgeReplies.verdict("It is a tie: [[C]]")).contains(Verdict.TIE);
        assertThat(JudgeReplies.verdict("not [[B]] but [[A]]")).contains(Verdict.A);
        assertThat(JudgeReplies.verdict("Assistant A is better. [A]")).isEmpty();
    }

    @Test
    void aPromptScoreIsScoreValueOfTheJsonObjectEvenInsideACodeFence() {
        assertThat(JudgeReplies.scoreValue("```json\n{\"topic_modeling\": \"math\", \"score_reason\": \"hard\", \"score_value\": 9}\n```", 1, 10))
                .contains(9.0);
        assertThat(JudgeReplies.scoreValue("{\"score_value\": \"8\"}", 1, 10)).contains(8.0);
        assertThat(JudgeReplies.scoreValue("{\"score_reason\": \"unquoted \"x\" breaks it\", \"score_value\": 10}", 1, 10)).contains(10.0);
    }

    @Test
    void aPromptScoreOutOfRangeOrMissingIsUnreadable() {
        assertThat(JudgeReplies.scoreValue("{\"score_value\": 11}", 1, 10)).isEmpty();
        assertThat(JudgeReplies.scoreValue("{\"score_reason\": \"fine\"}", 1, 10)).isEmpty();
        assertThat(JudgeReplies.scoreValue("Score: 9", 1, 10)).isEmpty();
    }

    @Test
    void arenaHardCriteriaCountTheTrueOnes() {
        String reply = "{\"specificity\": true, \"domain_knowledge\": true, \"complexity\": false, \"problem_solving\": true,"
                + " \"creativity\": false, \"technical_accuracy\": true, \"real_world\": true, \"score_value\": 2}";
        assertThat(JudgeReplies.criteriaMet(reply)).contains(5.0);
        assertThat(JudgeReplies.criteriaMet("{\"specificity\": true, \"score_value\": 6}")).contains(6.0);
        assertThat(JudgeReplies.criteriaMet("{\"specificity\": true}")).isEqualTo(Optional.empty());
    }

    @Test
    void aTemplateIsFilledInOnePassAndLeavesOtherBracesAlone() {
        JudgePrompt p = new JudgePrompt("t", "single", "", "Q: {question}\nA: {answer}\nshape: {\"score_value\": 1}", "[[rating]]");
        assertThat(p.render(java.util.Map.of("question", "what is {answer}?", "answer", "42")))
                .isEqualTo("Q: what is {answer}?\nA: 42\nshape: {\"score_value\": 1}");
    }

    @Test
    void everyBuiltInPromptTellsTheJudgeItsReplyFormat() {
        for (String name : new String[] {JudgePrompts.SINGLE, JudgePrompts.SINGLE_MATH, JudgePrompts.SINGLE_MULTI_TURN,
                JudgePrompts.SINGLE_MATH_MULTI_TURN}) {
            JudgePrompt p = JudgePrompts.get(name);
            assertThat(p.systemPrompt() + p.promptTemplate()).contains("[[rating]]").contains("Rating: [[");
        }
        for (String name : new String[] {JudgePrompts.PAIR, JudgePrompts.PAIR_MULTI_TURN, JudgePrompts.PAIR_MATH,
                JudgePrompts.PAIR_MATH_MULTI_TURN, JudgePrompts.PAIR_CONVERSATION}) {
            assertThat(JudgePrompts.get(name).systemPrompt()).contains("[[A]]", "[[B]]", "[[C]]");
        }
        assertThat(JudgePrompts.get(JudgePrompts.PROMPT_SCORE_PAPER).systemPrompt()).contains("score_value");
        assertThat(JudgePrompts.get(JudgePrompts.PROMPT_CRITERIA_ARENA_HARD).systemPrompt())
                .contains(JudgeReplies.ARENA_HARD_CRITERIA.toArray(String[]::new));
    }
}
