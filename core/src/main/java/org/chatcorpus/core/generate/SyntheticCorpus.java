package org.chatcorpus.core.generate;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;

/**
 * An LMSYS-Chat-1M-shaped synthetic corpus, deterministic per seed and per index (conversation i
 * depends only on the seed and i, so any slice can be generated in parallel and reproduced):
 * the release's 25 models with shares close to the paper's figure, languages skewed like the
 * release (English about three quarters), turns averaging about 2, prompt and response lengths
 * near the card's averages (69.5 and 214.5 Llama tokens), some person names in prompts (some
 * already redacted to NAME_1), about 5% of conversations with a flagged message, and about 1%
 * repeating an earlier prompt. For scale tests and benchmarks; no real text.
 */
public final class SyntheticCorpus {
    static final String[] MODELS = {"vicuna-13b", "koala-13b", "alpaca-13b", "chatglm-6b", "llama-13b", "vicuna-33b",
            "oasst-pythia-12b", "fastchat-t5-3b", "dolly-v2-12b", "wizardlm-13b", "RWKV-4-Raven-14B", "stablelm-tuned-alpha-7b",
            "mpt-7b-chat", "palm-2", "gpt-3.5-turbo", "vicuna-7b", "gpt4all-13b-snoozy", "claude-1", "guanaco-33b",
            "llama-2-13b-chat", "mpt-30b-chat", "claude-instant-1", "gpt-4", "claude-2", "llama-2-7b-chat"};
    static final double[] MODEL_SHARES = {40.0, 7.1, 6.1, 4.8, 4.4, 4.3, 4.2, 4.0, 3.6, 3.2, 3.0, 2.7, 2.4, 2.2, 1.9, 1.8,
            1.6, 1.3, 1.2, 1.1, 0.9, 0.8, 0.8, 0.4, 0.4};
    static final String[] LANGUAGES = {"English", "Portuguese", "Russian", "Chinese", "Spanish", "German", "French",
            "Italian", "Japanese", "Korean", "Polish", "Dutch", "Arabic", "Indonesian", "Turkish", "Vietnamese", "Persian",
            "Ukrainian", "Swedish", "unknown"};
    static final double[] LANGUAGE_SHARES = {77.0, 3.4, 3.2, 3.0, 2.4, 1.2, 1.1, 0.8, 0.6, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4,
            0.3, 0.3, 0.3, 0.2, 3.6};
    private static final String[][] WORDS = {
            {"the", "model", "please", "write", "a", "story", "about", "how", "to", "explain", "data", "code", "python", "function",
                    "list", "and", "with", "for", "in", "is", "this", "that", "answer", "question", "simple", "example", "more",
                    "detail", "summary", "table", "can", "you", "give", "me", "best", "way", "first", "then"},
            {"o", "que", "é", "uma", "para", "como", "fazer", "texto", "sobre", "por", "favor", "escreva", "de", "em", "não"},
            {"что", "такое", "как", "написать", "пожалуйста", "текст", "о", "и", "в", "не", "это", "для", "код"},
            {"你好", "请", "写", "一个", "关于", "的", "故事", "如何", "解释", "代码", "我", "是", "什么"},
            {"el", "la", "que", "de", "por", "favor", "escribe", "una", "historia", "sobre", "cómo", "es", "en"},
            {"der", "die", "das", "und", "bitte", "schreibe", "eine", "Geschichte", "über", "wie", "ist", "ein"},
            {"le", "la", "les", "et", "écris", "une", "histoire", "sur", "comment", "est", "un", "s'il", "vous", "plaît"},
            {"il", "la", "che", "di", "per", "favore", "scrivi", "una", "storia", "su", "come", "è"},
            {"こんにちは", "これは", "何", "です", "か", "書いて", "ください", "物語", "について"},
            {"안녕하세요", "이것은", "무엇", "입니까", "써", "주세요", "이야기"},
            {"proszę", "napisz", "historię", "o", "jak", "to", "jest", "i"},
            {"de", "het", "een", "en", "schrijf", "verhaal", "over", "hoe", "is"},
            {"مرحبا", "من", "فضلك", "اكتب", "قصة", "عن", "كيف", "هذا"},
            {"tolong", "tulis", "cerita", "tentang", "apa", "ini", "dan", "yang"},
            {"lütfen", "bir", "hikaye", "yaz", "nasıl", "bu", "ve", "ne"},
            {"xin", "chào", "hãy", "viết", "câu", "chuyện", "về", "và"},
            {"لطفا", "یک", "داستان", "بنویس", "درباره", "این", "چیست"},
            {"будь", "ласка", "напиши", "історію", "про", "як", "це"},
            {"skriv", "en", "berättelse", "om", "hur", "det", "är"},
            {"asdf", "qwerty", "zxcv", "lorem", "ipsum", "xyz"}};
    private static final String[] NAMES = {"John Smith", "Maria Garcia", "Wei Zhang", "Olga Petrova", "Ahmed Hassan",
            "Emily Johnson", "Carlos Silva", "Yuki Tanaka"};

    private final long seed;
    private final double[] modelCdf = cdf(MODEL_SHARES);
    private final double[] languageCdf = cdf(LANGUAGE_SHARES);

    public SyntheticCorpus(long seed) {
        this.seed = seed;
    }

    private static double[] cdf(double[] shares) {
        double total = 0;
        for (double s : shares) {
            total += s;
        }
        double[] c = new double[shares.length];
        double acc = 0;
        for (int i = 0; i < shares.length; i++) {
            acc += shares[i] / total;
            c[i] = acc;
        }
        c[c.length - 1] = 1.0;
        return c;
    }

    private static int pick(double[] cdf, double u) {
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }

    /** Conversation number {@code i} of this corpus. */
    public Conversation conversation(long i) {
        SplittableRandom r = new SplittableRandom(mix(seed, i));
        byte[] idBytes = new byte[16];
        for (int k = 0; k < 16; k += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8; j++) {
                idBytes[k + j] = (byte) (v >>> (8 * j));
            }
        }
        String model = MODELS[pick(modelCdf, r.nextDouble())];
        int lang = pick(languageCdf, r.nextDouble());
        int turns = 1;
        while (turns < 40 && r.nextDouble() < 0.5) {
            turns++;
        }
        boolean duplicate = i > 0 && r.nextDouble() < 0.01;
        SplittableRandom promptRandom = duplicate ? new SplittableRandom(mix(seed, r.nextLong(i))) : r;
        boolean withName = r.nextDouble() < 0.06;
        boolean redacted = withName && r.nextDouble() < 0.5;
        int flaggedMessage = r.nextDouble() < 0.05 ? r.nextInt(turns * 2) : -1;
        List<Message> messages = new ArrayList<>(turns * 2);
        List<Moderation> moderation = new ArrayList<>(turns * 2);
        for (int t = 0; t < turns; t++) {
            String prompt = text(t == 0 ? promptRandom : r, lang, 58);
            if (t == 0 && withName) {
                prompt = "My name is " + (redacted ? "NAME_1" : NAMES[r.nextInt(NAMES.length)]) + ". " + prompt;
            }
            messages.add(Message.user(prompt));
            messages.add(Message.assistant(r.nextDouble() < 0.01 ? "" : text(r, lang, 185)));
        }
        for (int m = 0; m < messages.size(); m++) {
            moderation.add(m == flaggedMessage ? flagged(r) : benign(r));
        }
        return new Conversation(HexFormat.of().formatHex(idBytes), model, messages, turns, LANGUAGES[lang], moderation,
                redacted, null, null);
    }

    private static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Text of about {@code meanWords} words (log-normal-ish lengths), in the language's word list. */
    private static String text(SplittableRandom r, int lang, int meanWords) {
        String[] words = WORDS[Math.min(lang, WORDS.length - 1)];
        double g = r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5; // ~N(0, 0.5)
        int n = Math.max(1, (int) Math.round(meanWords * Math.exp(0.9 * g - 0.2)));
        boolean spaced = lang != 3 && lang != 8;
        StringBuilder sb = new StringBuilder(n * 7);
        for (int w = 0; w < n; w++) {
            if (w > 0 && spaced) {
                sb.append(w % 13 == 0 ? ". " : " ");
            }
            sb.append(words[r.nextInt(words.length)]);
        }
        return sb.append(spaced ? "." : "。").toString();
    }

    private static Moderation benign(SplittableRandom r) {
        double[] scores = new double[ModerationCategory.COUNT];
        for (int k = 0; k < scores.length; k++) {
            scores[k] = r.nextDouble() * 1e-3;
        }
        return new Moderation(new boolean[ModerationCategory.COUNT], scores, false);
    }

    private static Moderation flagged(SplittableRandom r) {
        Moderation b = benign(r);
        double[] scores = b.scores();
        boolean[] cats = new boolean[ModerationCategory.COUNT];
        // Weighted towards the categories the paper found most common (sexual, harassment, violence).
        int[] common = {7, 7, 7, 0, 0, 9, 2, 4, 8, 1, 3, 5, 6, 10};
        int c = common[r.nextInt(common.length)];
        cats[c] = true;
        scores[c] = 0.5 + r.nextDouble() * 0.5;
        return new Moderation(cats, scores, true);
    }
}
