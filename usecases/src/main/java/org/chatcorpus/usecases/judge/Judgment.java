package org.chatcorpus.usecases.judge;

/**
 * What a judge said about one item: the value read from its reply, or the error that left no value
 * (the call failed, or the reply could not be read even when asked a second time). Never both.
 *
 * @param value      the score or verdict read, or null
 * @param userPrompt the prompt the judge was shown
 * @param reply      the judge's last reply ("" when the call failed)
 * @param error      why there is no value, or null
 */
public record Judgment<T>(T value, String userPrompt, String reply, String error) {
    public boolean ok() {
        return error == null;
    }
}
