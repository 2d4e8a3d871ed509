package org.chatcorpus.server.arena;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.chatcorpus.core.progress.Progress;

/**
 * Simulated visitors for an Arena: replays real prompts (one list of user turns per dialog) through
 * the same {@link ArenaService} calls the web pages make, so the logs, database rows and votes it
 * leaves are exactly those of real traffic. Used by the demo to collect a corpus without people,
 * and by tests that feed the server's own logs into the curate pipeline.
 *
 * <p>Each dialog becomes either a single-model chat (followed sometimes by an up/down vote) or an
 * anonymous battle with a vote. Votes follow a hidden Bradley-Terry strength per model, so the
 * leaderboard built from them has a known right answer; a share of votes are ties or "both bad"
 * as in the real Arena.
 */
public final class TrafficReplay {
    /** What a replay produced. */
    public record Summary(int dialogs, int chats, int battles, int votes, int turns, int rejected) {
    }

    private final ArenaService service;
    private final Map<String, Double> strengths;
    private final double battleShare;
    private final int users;
    private final Random random;

    /**
     * @param strengths   hidden Elo-scale strength per model name (missing models get 1000)
     * @param battleShare fraction of dialogs played as anonymous battles
     * @param users       how many distinct visitors the dialogs are spread over
     */
    public TrafficReplay(ArenaService service, Map<String, Double> strengths, double battleShare, int users, long seed) {
        if (users <= 0) {
            throw new IllegalArgumentException("users must be positive");
        }
        this.service = service;
        this.strengths = Map.copyOf(strengths);
        this.battleShare = battleShare;
        this.users = users;
        this.random = new Random(seed);
    }

    public Summary replay(List<List<String>> dialogs) {
        return replay(dialogs, Progress.silent("replay"));
    }

    public Summary replay(List<List<String>> dialogs, Progress progress) {
        int chats = 0;
        int battles = 0;
        int votes = 0;
        int turns = 0;
        int rejected = 0;
        List<String> models = service.modelNames();
        for (List<String> dialog : dialogs) {
            if (dialog.isEmpty()) {
                continue;
            }
            // One session per dialog, as a visitor who reloads the page; the user key comes from the address.
            try {
                ArenaSession s = service.consent("10.0." + (random.nextInt(users) / 250) + "." + (random.nextInt(users) % 250));
                if (models.size() >= 2 && random.nextDouble() < battleShare) {
                    service.startBattle(s, true, null, null);
                    for (String prompt : dialog) {
                        service.battleTurn(s, prompt, (side, delta) -> { });
                        turns++;
                    }
                    List<String> pair = battleModels(s);
                    service.vote(s, voteFor(pair.get(0), pair.get(1)));
                    battles++;
                    votes++;
                } else {
                    String model = models.get(random.nextInt(models.size()));
                    for (String prompt : dialog) {
                        service.chat(s, model, prompt, delta -> { });
                        turns++;
                    }
                    double r = random.nextDouble();
                    if (r < 0.1) {
                        service.voteSingle(s, r < 0.07 ? "upvote" : "downvote");
                        votes++;
                    }
                    chats++;
                }
            } catch (ArenaException e) {
                // Too long, rate-limited or over the turn cap: the site would show the error; so do we, by counting it.
                rejected++;
            }
            progress.advance(1);
        }
        return new Summary(dialogs.size(), chats, battles, votes, turns, rejected);
    }

    private static List<String> battleModels(ArenaSession s) {
        synchronized (s) {
            return List.of(s.battle.states[0].modelName(), s.battle.states[1].modelName());
        }
    }

    /** A vote drawn from the hidden strengths: P(A beats B) = 1 / (1 + 10^((Rb − Ra)/400)). */
    String voteFor(String a, String b) {
        double r = random.nextDouble();
        if (r < 0.08) {
            return "tievote";
        }
        if (r < 0.12) {
            return "bothbad_vote";
        }
        double ra = strengths.getOrDefault(a, 1000.0);
        double rb = strengths.getOrDefault(b, 1000.0);
        double pA = 1.0 / (1.0 + Math.pow(10, (rb - ra) / 400.0));
        return random.nextDouble() < pA ? "leftvote" : "rightvote";
    }

    /** Splits long prompt lists into dialogs of 1–3 turns, as visitors mostly ask one to three things. */
    public static List<List<String>> dialogsOf(List<String> prompts, long seed) {
        Random r = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        int i = 0;
        while (i < prompts.size()) {
            int n = Math.min(prompts.size() - i, 1 + (r.nextDouble() < 0.6 ? 0 : r.nextInt(3)));
            out.add(List.copyOf(prompts.subList(i, i + n)));
            i += n;
        }
        return out;
    }
}
