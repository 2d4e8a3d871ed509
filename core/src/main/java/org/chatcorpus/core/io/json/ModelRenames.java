package org.chatcorpus.core.io.json;

import java.util.Map;

/**
 * FastChat's replace_model_name, in the two versions that matter: the one the 2023 releases ran
 * (LMSYS-Chat-1M and arena-33k) and the one today's leaderboard runs.
 */
public final class ModelRenames {
    private static final Map<String, String> CURRENT = Map.of(
            "bard", "palm-2",
            "claude-v1", "claude-1",
            "claude-instant-v1", "claude-instant-1",
            "oasst-sft-1-pythia-12b", "oasst-pythia-12b",
            "claude-2", "claude-2.0",
            "StripedHyena-Nous-7B", "stripedhyena-nous-7b",
            "gpt-4-turbo", "gpt-4-1106-preview",
            "gpt-4-0125-assistants-api", "gpt-4-turbo-browsing");
    /** 2023-06-27 07:00 UTC: the cut-over from the -0314 to the -0613 GPT snapshots. */
    private static final double GPT_0613_SINCE = 1687849200;

    private ModelRenames() {
    }

    /**
     * clean_battle_data.py's replace_model_name at the release commit (24acac17, 2023-09-17), which
     * clean_chat_data.py imported: four chained substring replacements ({@code str.replace}, so
     * "bard-x" becomes "palm-2-x"), no GPT snapshot suffixes, no claude-2 rename.
     */
    public static String release2023(String name) {
        return name.replace("bard", "palm-2")
                .replace("claude-v1", "claude-1")
                .replace("claude-instant-v1", "claude-instant-1")
                .replace("oasst-sft-1-pythia-12b", "oasst-pythia-12b");
    }

    /**
     * replace_model_name(old_name, tstamp) as FastChat has it today (clean_battle_data.py, HEAD):
     * gpt-4 and gpt-3.5-turbo get their snapshot by date, then whole-name renames.
     */
    public static String current(String name, double tstamp) {
        if (name.equals("gpt-4") || name.equals("gpt-3.5-turbo")) {
            return name + (tstamp > GPT_0613_SINCE ? "-0613" : "-0314");
        }
        return CURRENT.getOrDefault(name, name);
    }
}
