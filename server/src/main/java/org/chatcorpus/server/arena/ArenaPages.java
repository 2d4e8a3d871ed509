package org.chatcorpus.server.arena;

import static org.chatcorpus.core.web.Html.escape;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatcorpus.battles.rating.BradleyTerry;
import org.chatcorpus.battles.rating.Leaderboard;

/**
 * Server-rendered pages of the Arena. Every piece of text that did not come from this class is
 * escaped; dynamic parts (streamed answers) are inserted by arena.js with textContent only.
 */
final class ArenaPages {
    private ArenaPages() {
    }

    private static String layout(String page, String title, String body) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + " · chatcorpus Arena</title>"
                + "<link rel=\"stylesheet\" href=\"/static/arena.css\"></head>"
                + "<body data-page=\"" + page + "\" data-error-text=\"" + escape(ArenaService.NETWORK_ERROR_MSG) + "\"><header><nav>"
                + "<a href=\"/chat\">Chat</a><a href=\"/battle\">Arena (battle)</a>"
                + "<a href=\"/side-by-side\">Side-by-side</a><a href=\"/leaderboard\">Leaderboard</a>"
                + "</nav></header><main>" + body + "</main>"
                + "<script src=\"/static/arena.js\"></script></body></html>";
    }

    private static final String PROMPT_FORM = "<form id=\"send-form\"><textarea id=\"prompt\" maxlength=\"16000\" "
            + "placeholder=\"Type a message (Enter sends, Shift+Enter for a new line)\"></textarea>"
            + "<button id=\"send\" type=\"submit\">Send</button></form>";
    private static final String STATUS = "<p id=\"status\" role=\"status\" aria-live=\"polite\"></p>";

    static String consent() {
        return layout("consent", "Terms of use", "<h1>Terms of use</h1>"
                + "<div id=\"terms\"><p>This is a research preview. It only provides limited safety measures and may "
                + "generate offensive content. It must not be used for any illegal, harmful, violent, racist, or sexual purposes.</p>"
                + "<p>The service collects user dialogue data, including your prompts and the models' answers, and reserves "
                + "the right to distribute it under a Creative Commons Attribution (CC-BY) or a similar license. "
                + "Do not share personal information.</p></div>"
                + "<form method=\"post\" action=\"/consent\"><button id=\"accept\" type=\"submit\">I accept</button></form>");
    }

    static String chat(List<String> models) {
        StringBuilder options = new StringBuilder();
        for (String m : models) {
            options.append("<option value=\"").append(escape(m)).append("\">").append(escape(m)).append("</option>");
        }
        return layout("chat", "Chat", "<h1>Chat with a model</h1>"
                + "<label>Model <select id=\"model\">" + options + "</select></label>"
                + "<div id=\"messages\" class=\"messages\"></div>"
                + PROMPT_FORM
                + "<div class=\"votes\"><button id=\"upvote\" type=\"button\" disabled>👍 Upvote</button>"
                + "<button id=\"downvote\" type=\"button\" disabled>👎 Downvote</button>"
                + "<button id=\"regenerate\" type=\"button\" disabled>🔄 Regenerate</button>"
                + "<button id=\"clear\" type=\"button\">New chat</button>"
                + "<button id=\"share\" type=\"button\">🔗 Share link</button></div>"
                + STATUS);
    }

    static String battle(List<String> models, boolean anony) {
        StringBuilder pick = new StringBuilder();
        if (!anony) {
            for (String side : List.of("a", "b")) {
                pick.append("<label>Model ").append(side.toUpperCase(Locale.ROOT)).append(" <select id=\"model-").append(side).append("\">");
                for (int i = 0; i < models.size(); i++) {
                    String m = models.get(i);
                    boolean selected = side.equals("a") ? i == 0 : i == Math.min(1, models.size() - 1);
                    pick.append("<option value=\"").append(escape(m)).append('"').append(selected ? " selected" : "")
                            .append('>').append(escape(m)).append("</option>");
                }
                pick.append("</select></label> ");
            }
        }
        String title = anony ? "Arena (battle)" : "Side-by-side";
        String intro = anony
                ? "<p>Ask a question to two anonymous models and vote for the better answer. Their names are revealed after your vote.</p>"
                : "<p>Compare two chosen models on the same prompts.</p>";
        return layout(anony ? "battle" : "side-by-side", title, "<h1>" + title + "</h1>" + intro + pick
                + "<div class=\"pair\"><section><h2 id=\"name-a\">Model A</h2><div id=\"messages-a\" class=\"messages\"></div></section>"
                + "<section><h2 id=\"name-b\">Model B</h2><div id=\"messages-b\" class=\"messages\"></div></section></div>"
                + PROMPT_FORM
                + "<div class=\"votes\"><button id=\"leftvote\" type=\"button\" disabled>👈 A is better</button>"
                + "<button id=\"rightvote\" type=\"button\" disabled>👉 B is better</button>"
                + "<button id=\"tievote\" type=\"button\" disabled>🤝 Tie</button>"
                + "<button id=\"bothbad_vote\" type=\"button\" disabled>👎 Both are bad</button>"
                + "<button id=\"regenerate\" type=\"button\" disabled>🔄 Regenerate</button>"
                + "<button id=\"new-round\" type=\"button\">New round</button>"
                + "<button id=\"share\" type=\"button\">🔗 Share link</button></div>"
                + STATUS);
    }

    static String leaderboard(Leaderboard lb) {
        StringBuilder rows = new StringBuilder();
        for (Map.Entry<String, BradleyTerry.Rating> e : lb.bt().entrySet()) {
            BradleyTerry.Rating r = e.getValue();
            Double elo = lb.elo().get(e.getKey());
            boolean preliminary = lb.preliminary(e.getKey());
            rows.append(preliminary ? "<tr class=\"preliminary\">" : "<tr>").append("<td>").append(lb.rank().get(e.getKey())).append("</td><td>")
                    .append("<span class=\"model-name\">").append(escape(e.getKey())).append("</span>")
                    .append(preliminary ? " <span class=\"badge\" title=\"fewer than " + Leaderboard.PRELIMINARY_BELOW
                            + " battles: the rating may still move a lot\">preliminary</span>" : "")
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.0f", r.rating())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "+%.0f / -%.0f", r.upper() - r.rating(), r.rating() - r.lower()))
                    .append("</td><td class=\"votes-count\">").append(lb.votes().getOrDefault(e.getKey(), 0L))
                    .append("</td><td>").append(elo == null ? "" : String.format(Locale.ROOT, "%.0f", elo)).append("</td></tr>");
        }
        return layout("leaderboard", "Leaderboard", "<h1>Leaderboard</h1>"
                + "<p>From <span id=\"battle-count\">" + lb.battles() + "</span> anonymous battles. "
                + "Bradley-Terry ratings with 95% bootstrap intervals, and online Elo (K = 4), as the Chatbot Arena computes them. "
                + "Models with fewer than " + Leaderboard.PRELIMINARY_BELOW + " battles are marked <em>preliminary</em>: "
                + "their ratings and intervals rest on too few votes to trust. Votes in which a model's name came up, or a "
                + "model failed to answer, are not counted.</p>"
                + "<table id=\"leaderboard\"><thead><tr><th>Rank</th><th>Model</th><th>Arena rating</th><th>95% CI</th>"
                + "<th>Battles</th><th>Online Elo</th></tr></thead><tbody>" + rows + "</tbody></table>");
    }
}
