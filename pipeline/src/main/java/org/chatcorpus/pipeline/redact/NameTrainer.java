package org.chatcorpus.pipeline.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.datafaker.Faker;

/**
 * Trains the {@link NameModel} from generated text only: sentence templates (the resource
 * name-templates.txt: chat requests, letters, dialogue, forms, lists, plus hard negatives such as
 * headings, products, places and capitalised common words) filled with datafaker names of many
 * locales and datafaker's own lists of places, products and words. No evaluation data is used.
 * Everything is drawn from one seeded {@link Random} in a fixed order and the perceptron visits
 * the sentences in a seeded order, so the same seed gives the same model bytes.
 */
public final class NameTrainer {
    /** Latin- and Cyrillic/Greek-script locales (name case matters to the model; CJK names have none). */
    static final List<String> LOCALES = List.of("en", "en-US", "en-GB", "en-IN", "en-NG", "en-ZA", "en-AU", "de", "fr", "es",
            "es-MX", "it", "pt", "pt-BR", "nl", "pl", "sv", "da-DK", "nb-NO", "fi-FI", "cs", "sk", "hu", "hr", "ro", "tr", "id",
            "vi", "ca", "lv", "et", "ru", "uk", "el-GR");

    /** Function words and other frequent words datafaker's word lists lack ("Many", "Open", "This"…). */
    private static final String FUNCTION_WORDS = "a about above after again against all almost also although always am among an "
            + "and another any anyone anything are around as at back be because been before being below between both but by "
            + "can could did do does doing done down during each either else even ever every everyone everything few first "
            + "for from further get gets getting give go goes going good got great had has have having he her here hers "
            + "herself him himself his how however i if in instead into is it its itself just last least less let like "
            + "many may maybe me might more most much must my myself never new next no nobody none nor not nothing now of "
            + "off often on once one only open or other others our ours ourselves out over own please rather really "
            + "same she should since so some someone something sometimes still such sure than thank thanks that the their "
            + "theirs them themselves then there these they this those though through thus to today together tomorrow too "
            + "under unless until up upon us very was we well were what whatever when where whether which while who whom "
            + "whose why will with within without would yes yet you your yours yourself yourselves hello hi hey dear okay "
            + "ok sure note example step first second third finally overall conclusion introduction summary however "
            + "additionally furthermore moreover therefore meanwhile here's there's let's it's that's what's i'm i'll i've "
            + "i'd you're we're they're don't can't won't isn't aren't doesn't didn't certainly absolutely sorry "
            + "unfortunately yes no sun moon star stars wars earth world baths bath roman city park river lake mount "
            + "north south east west new old great little big grand saint st yeah yep nope haha lol wow alright hmm hm oh ah aw aww "
            + "uh um okay hey hi bye thanks sorry please well anyway actually basically honestly seriously "
            // the verbs that open instructions to a chatbot
            + "edit analyze analyse write rewrite explain describe summarize summarise compare list create generate imagine "
            + "provide suppose consider evaluate identify implement develop design discuss draft compose craft translate "
            + "calculate solve find give tell show help make use read pretend act embody embrace assume classify extract "
            + "outline suggest recommend review correct fix convert format reformulate rephrase paraphrase continue";

    private static final List<String> TITLES = List.of("Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Mr", "Mrs", "Ms", "Dr", "Miss", "Sir",
            "Madam", "Lady", "Lord", "Professor", "Doctor", "Mister", "Captain", "Judge", "Senator", "President", "Father", "Sister");
    private static final List<String> MONTHS = List.of("January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December");
    private static final List<String> DAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    private static final List<String> LANDMARK_NOUNS = List.of("Baths", "Memorial", "Station", "Park", "Bridge", "Museum", "Square",
            "Cathedral", "Tower", "Palace", "Gardens", "Hall", "Library", "Castle", "Abbey", "Stadium", "Theatre", "Market",
            "University", "College", "Institute", "Foundation", "Hospital", "Airport", "Forest", "Valley", "Bay", "Beach", "Falls",
            "Lake", "River", "Mountains", "Street", "Avenue", "Road", "Prize", "Award", "Act", "Effect", "Law", "Theorem", "Center");
    private static final List<String> STREET_NOUNS = List.of("Street", "Road", "Avenue", "Lane", "Drive", "Boulevard", "Way", "Place");
    /** Groups of people by faith or origin: capitalised, plural, never one person's name. */
    private static final List<String> GROUPS = List.of("Muslim", "Muslims", "Jew", "Jews", "Jewish", "Christian", "Christians",
            "Catholic", "Catholics", "Protestant", "Protestants", "Mormon", "Mormons", "Hindu", "Hindus", "Buddhist", "Buddhists",
            "Sikh", "Sikhs", "Atheist", "Atheists", "Arab", "Arabs", "Asian", "Asians", "African", "Africans", "European",
            "Europeans", "Latino", "Latinos", "Latina", "Hispanic", "Hispanics", "Native", "Democrats", "Republicans", "Democrat",
            "Republican", "Nazis", "Nazi", "Communists", "Marxist", "Marxian", "Christianity", "Islam", "Judaism", "Hinduism");
    private static final List<String> PLACES_EXTRA = List.of("Milan", "Paris", "London", "Berlin", "Madrid", "Rome", "Vienna",
            "Moscow", "Tokyo", "Beijing", "Shanghai", "Sydney", "Dallas", "Houston", "Austin", "Phoenix", "Denver", "Boston",
            "Chicago", "Atlanta", "Orlando", "Florence", "Venice", "Naples", "Munich", "Hamburg", "Barcelona", "Lisbon", "Dublin",
            "Amsterdam", "Prague", "Warsaw", "Istanbul", "Cairo", "Mumbai", "Delhi", "Seoul", "Bangkok", "Toronto", "Vancouver",
            "Montreal", "Seattle", "Portland", "Miami", "Manhattan", "Brooklyn", "Hollywood", "Silicon Valley", "Bath", "York",
            "Oxford", "Cambridge", "Edinburgh", "Glasgow", "Manchester", "Liverpool", "Geneva", "Zurich", "Stockholm", "Oslo",
            "Helsinki", "Copenhagen", "Athens", "Jerusalem", "Dubai", "Singapore", "Hong Kong", "Rio", "Buenos Aires", "Lima",
            "Santiago", "Mexico City", "Havana", "Nairobi", "Lagos", "Johannesburg", "Cape Town", "Melbourne", "Auckland", "Sun",
            "Venus", "Mars", "Moon", "Milky Way", "Sahara", "Amazon", "Alps", "Himalayas", "Everest", "Pacific", "Atlantic",
            "Mediterranean", "Britain", "Great Britain", "England", "Scotland", "Wales", "Rhine", "Danube", "Nile", "Thames", "Seine",
            "Mississippi", "Yangtze", "Ganges", "Volga", "Hudson", "Europe", "Asia", "Africa", "America", "Antarctica", "Hawaii", "Alaska", "Texas", "California");
    private static final List<String> THINGS_EXTRA = List.of("OpenAI", "ChatGPT", "GPT-4", "Star Wars", "Star Trek", "Harry Potter",
            "Game of Thrones", "Marvel", "Netflix", "YouTube", "Google", "Microsoft", "Apple", "Amazon", "Facebook", "Instagram",
            "TikTok", "Twitter", "Reddit", "Wikipedia", "Python", "JavaScript", "TypeScript", "Java", "Rust", "Excel", "Word",
            "PowerPoint", "Photoshop", "Windows", "Linux", "Ubuntu", "Android", "iPhone", "Tesla", "Bitcoin", "Ethereum", "Vicuna",
            "LLaMA", "Claude", "Bard", "Alpaca", "Koala", "Dolly", "Mistral", "Gemini", "Falcon", "React", "Angular", "Django",
            "Flask", "Spring", "Kubernetes", "Docker", "Terraform", "Unity", "Minecraft", "Fortnite", "Pokemon", "Zelda", "Mario",
            "Lego", "Disney", "Pixar", "Spotify", "Zoom", "Slack", "Discord", "Notion", "Shopify", "WordPress", "Christmas",
            "Easter", "Halloween", "Thanksgiving", "Ramadan", "Bible", "Quran", "God", "Jesus", "Buddha", "Allah", "Olympics",
            "World Cup", "Super Bowl", "Meta", "Hugging Face", "LMSYS", "Coca-Cola", "Pepsi", "QAnon", "Qanon", "Anthropic", "DeepMind", "Siri", "Alexa", "Cortana", "Copilot", "Oscars", "Grammy", "Nobel Prize", "Renaissance", "Middle Ages", "Roman Empire", "Cold War");

    /** Training settings; {@link #DEFAULT} made the shipped model. */
    public record Config(long seed, int sentences, int epochs, int bits) {
        public static final Config DEFAULT = new Config(42, 80_000, 8, 18);
    }

    /** One generated text and its person spans. */
    record Example(String text, List<int[]> names) {
    }

    private final Random random;
    private final List<Faker> fakers = new ArrayList<>();
    private final List<String> templates;
    private final List<String> places;
    private final List<String> things;
    private final List<String> orgs = new ArrayList<>();
    private final List<String> nationalities;
    private final List<String> commonWords;
    private final List<String> pastVerbs;
    private final List<String> baseVerbs;
    /** Well-known people datafaker lists (scientists, artists, philosophers): names too. */
    private final List<String> famous;
    private final List<String> functionWords;
    private final List<String> ambiguous = new ArrayList<>();
    final TreeMap<String, Integer> lexicon = new TreeMap<>();

    private NameTrainer(long seed) {
        random = new Random(seed);
        for (String l : LOCALES) {
            fakers.add(new Faker(Locale.forLanguageTag(l), new Random(random.nextLong())));
        }
        templates = readTemplates();
        Faker en = fakers.get(0);
        places = new ArrayList<>(new LinkedHashSet<>(concat(PLACES_EXTRA, strings("en/nation.yml", "nation", "capital_city"),
                strings("en/address.yml", "address", "state"), strings("en/address.yml", "address", "country"),
                strings("en/space.yml", "space", "planet"), strings("en/space.yml", "space", "moon"),
                strings("en/space.yml", "space", "galaxy"), strings("en/space.yml", "space", "constellation"),
                strings("en/mountain.yml", "mountain", "name"), countries())));
        things = new ArrayList<>(new LinkedHashSet<>(concat(THINGS_EXTRA, strings("en/programming_language.yml", "programming_language", "name"),
                strings("en/largelanguagemodel.yml", "largelanguagemodel", "text_models"), strings("en/brand.yml", "brand"),
                strings("en/app.yml", "app", "name"), strings("en/movie.yml", "movie", "name"), strings("en/book.yml", "book", "title"),
                strings("en/space.yml", "space", "nasa_space_craft"), strings("en/space.yml", "space", "launch_vehicle"))));
        nationalities = new ArrayList<>(new LinkedHashSet<>(concat(strings("en/nation.yml", "nation", "nationality"),
                strings("en/nation.yml", "nation", "language"), languages(), GROUPS)));
        for (String zone : strings("en/address.yml", "address", "time_zone")) { // "America/Los_Angeles" → Los Angeles
            places.add(zone.substring(zone.lastIndexOf('/') + 1).replace('_', ' '));
        }
        Set<String> common = new LinkedHashSet<>();
        for (String w : concat(strings("en/words.yml", "words"), strings("en/verbs.yml", "verbs"), strings("en/adjective.yml", "adjective"),
                List.of(FUNCTION_WORDS.split(" ")))) {
            if (w.matches("[a-z][a-z'-]*")) {
                common.add(w);
            }
        }
        commonWords = new ArrayList<>(common);
        // The lexicon's common words go further: every lower-case word of datafaker's English text
        // files (quotes, dialogue, descriptions) and the regular inflections of the word lists, so
        // "Yeah", "Oranges" or "Helium" opening a sentence are known words, not unknown names.
        Set<String> vocabulary = new LinkedHashSet<>(common);
        for (String w : common) {
            if (w.length() >= 3 && w.indexOf('\'') < 0) {
                vocabulary.addAll(List.of(w + "s", w + "es", w + "ed", w + "ing", w + "ly"));
            }
        }
        List<String> textWords = englishTextWords();
        pastVerbs = strings("en/verbs.yml", "verbs", "past");
        baseVerbs = strings("en/verbs.yml", "verbs", "base");
        famous = concat(strings("en/science.yml", "science", "scientist"), strings("en/artist.yml", "artist", "names"),
                strings("en/greek_philosophers.yml", "greek_philosophers", "names"));
        things.addAll(concat(strings("en/music.yml", "music", "bands"), strings("en/music.yml", "music", "albums")));
        for (String w : concat(strings("en/science.yml", "science", "element"), strings("en/science.yml", "science", "unit"),
                strings("en/science.yml", "science", "particles"), strings("en/music.yml", "music", "instruments"),
                strings("en/music.yml", "music", "genres"))) {
            for (String x : w.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
                if (!x.isEmpty()) {
                    vocabulary.add(x);
                }
            }
        }
        for (int i = 0; i < 400; i++) {
            orgs.add(en.company().name());
        }
        for (int i = 0; i < 100; i++) {
            orgs.add(fakers.get(i % fakers.size()).company().name());
        }
        // Word lists for the lexicon features. First and last names come from draws per locale
        // (datafaker has no "list all" call), seeded like everything else. Deliberately fewer draws
        // than it takes to see every name: the training text then has names the lists lack, as
        // real text has ("Obama", "Kardashian"), and the model learns to find them from context.
        for (Faker f : fakers) {
            for (int i = 0; i < 600; i++) {
                flag(f.name().firstName(), NameModel.FIRST);
                flag(f.name().lastName(), NameModel.LAST);
            }
        }
        vocabulary.forEach(w -> flag(w, NameModel.COMMON));
        for (String w : textWords) {
            Integer fl = lexicon.get(w);
            // A first name seen in lower case in some data file ("connor" in an identifier) stays a name;
            // surnames are often words ("hills", "stone") and keep the common-word flag.
            if (fl == null || (fl & NameModel.FIRST) == 0) {
                flag(w, NameModel.COMMON);
            }
        }
        famous.forEach(p -> flagWords(p, NameModel.LAST));
        // Places and products as for names: the hand lists always, datafaker's long lists only in
        // part, so the model also meets capitalised non-names it has no list for ("Escondido").
        PLACES_EXTRA.forEach(p -> flagWords(p, NameModel.PLACE));
        countries().forEach(p -> flagWords(p, NameModel.PLACE));
        strings("en/address.yml", "address", "state").forEach(p -> flagWords(p, NameModel.PLACE));
        THINGS_EXTRA.forEach(t -> flagWords(t, NameModel.THING));
        for (String p : places) {
            if (random.nextInt(10) < 6) {
                flagWords(p, NameModel.PLACE);
            }
        }
        for (String t : things) {
            if (random.nextInt(10) < 6) {
                flagWords(t, NameModel.THING);
            }
        }
        orgs.forEach(t -> flagWords(t, NameModel.THING));
        TITLES.forEach(t -> flag(t.replace(".", ""), NameModel.TITLE));
        for (String n : nationalities) {
            flagWords(n, NameModel.NATION);
            flagWords(n + "s", NameModel.NATION);
        }
        functionWords = List.of(FUNCTION_WORDS.split(" "));
        for (String w : commonWords) {
            Integer fl = lexicon.get(w);
            if (fl != null && (fl & NameModel.FIRST) != 0) {
                ambiguous.add(w); // "will", "even", "just", "rose": first names somewhere, words mostly
            }
        }
        MONTHS.forEach(m -> flag(m, NameModel.THING));
        DAYS.forEach(m -> flag(m, NameModel.THING));
    }

    public static NameModel train(Config config) {
        NameTrainer t = new NameTrainer(config.seed());
        List<Example> examples = new ArrayList<>(config.sentences());
        for (int i = 0; i < config.sentences(); i++) {
            examples.add(t.example());
        }
        return t.fit(examples, config);
    }

    private void flag(String word, int bit) {
        if (word == null || word.isEmpty()) {
            return;
        }
        lexicon.merge(word.toLowerCase(Locale.ROOT), bit, (a, b) -> a | b);
    }

    private void flagWords(String phrase, int bit) {
        for (String w : phrase.split("[\\s,.:;()!?\"]+")) {
            if (!w.isEmpty() && Character.isUpperCase(w.charAt(0))) {
                flag(w, bit);
            }
        }
    }

    // ---- generation ----

    private static final Pattern SLOT = Pattern.compile("\\{([A-Za-z0-9]+)}");

    Example example() {
        if (random.nextInt(10) < 3) {
            return randomSentence();
        }
        int parts = 1 + random.nextInt(3);
        StringBuilder sb = new StringBuilder();
        List<int[]> names = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                sb.append(random.nextInt(3) == 0 ? "\n\n" : random.nextBoolean() ? "\n" : " ");
            }
            fill(templates.get(random.nextInt(templates.size())), sb, names);
        }
        return new Example(sb.toString(), names);
    }

    private static final List<String> ANY_SLOT = List.of("{FULL}", "{FIRST}", "{LAST}", "{FULL}", "{FIRST}", "{PLACE}", "{THING}",
            "{NAT}", "{ORG}", "{CAP}", "{CITY}", "{MONTH}", "{LANDMARK}", "{TITLE} {LAST}", "{FAMOUS}", "{IMP}");

    /**
     * Lower-case words with one to three slots at random places: names and non-names are then seen
     * in every kind of neighbourhood, so the word itself (lists, shape, affixes) carries the
     * decision where no template context does.
     */
    private Example randomSentence() {
        int words = 3 + random.nextInt(12);
        int slots = 1 + random.nextInt(3);
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (random.nextInt(words) < slots) {
                t.append(pick(ANY_SLOT));
            } else {
                t.append(pick(random.nextBoolean() ? functionWords : commonWords));
            }
            t.append(i == words - 1 ? (random.nextInt(4) == 0 ? "?" : ".") : random.nextInt(8) == 0 ? ", " : " ");
        }
        String template = Character.toUpperCase(t.charAt(0)) + t.substring(1);
        StringBuilder sb = new StringBuilder();
        List<int[]> names = new ArrayList<>();
        fill(template, sb, names);
        return new Example(sb.toString(), names);
    }

    private void fill(String template, StringBuilder sb, List<int[]> names) {
        Faker f = fakers.get(random.nextInt(fakers.size()));
        Matcher m = SLOT.matcher(template);
        int at = 0;
        while (m.find()) {
            sb.append(template, at, m.start());
            at = m.end();
            String slot = m.group(1);
            int start = sb.length();
            switch (slot) {
                case "FULL" -> {
                    sb.append(f.name().firstName());
                    int r = random.nextInt(10);
                    if (r == 0) {
                        sb.append(' ').append((char) ('A' + random.nextInt(26)));
                    } else if (r == 1) {
                        sb.append(' ').append(f.name().firstName());
                    }
                    sb.append(' ').append(random.nextInt(8) == 0 ? f.name().firstName() : f.name().lastName());
                    names.add(new int[] {start, sb.length()});
                }
                case "FIRST", "FIRST2" -> {
                    sb.append(f.name().firstName());
                    names.add(new int[] {start, sb.length()});
                }
                case "FAMOUS" -> {
                    sb.append(pick(famous));
                    names.add(new int[] {start, sb.length()});
                }
                case "IMP" -> sb.append(capitalise(pick(baseVerbs)));
                case "LAST" -> {
                    sb.append(f.name().lastName());
                    names.add(new int[] {start, sb.length()});
                }
                case "TITLE" -> sb.append(pick(TITLES));
                case "PLACE" -> sb.append(random.nextInt(3) == 0 ? f.address().city() : pick(places));
                case "CITY" -> sb.append(f.address().city());
                case "ADDRESS" -> sb.append(random.nextBoolean() ? f.address().fullAddress()
                        : f.address().streetAddress() + (random.nextBoolean() ? ", " : " ") + f.address().city());
                case "THING" -> sb.append(pick(things));
                case "ORG" -> sb.append(pick(orgs));
                case "NAT" -> sb.append(pick(nationalities));
                case "MONTH" -> sb.append(pick(MONTHS));
                case "DAY" -> sb.append(pick(DAYS));
                // Half the capitalised words are frequent ones ("Even", "Just", "Many"), as in real text;
                // a quarter are words that are also first names somewhere ("Will", "Even", "Rose").
                case "CAP" -> sb.append(capitalise(random.nextBoolean() ? pick(functionWords)
                        : random.nextBoolean() ? pick(ambiguous) : pick(commonWords)));
                case "HEAD" -> {
                    int words = 2 + random.nextInt(3);
                    for (int i = 0; i < words; i++) {
                        sb.append(i == 0 ? "" : " ").append(capitalise(pick(commonWords)));
                    }
                }
                case "LANDMARK" -> {
                    int r = random.nextInt(3);
                    // A first name or a place before a landmark noun is part of a place name, not a person.
                    String head = r == 0 ? f.name().firstName() : r == 1 ? pick(places) : capitalise(pick(commonWords));
                    sb.append(head).append(' ').append(pick(LANDMARK_NOUNS));
                }
                case "STREET" -> {
                    // datafaker's English street names are "<surname> <suffix>" (Trail, Greens, Gateway…): a place, not a person
                    int r = random.nextInt(3);
                    sb.append(r == 0 ? fakers.get(random.nextInt(7)).address().streetName() : r == 1 ? f.address().streetName()
                            : capitalise(pick(commonWords)) + " " + pick(STREET_NOUNS));
                }
                case "word" -> sb.append(pick(commonWords));
                case "verb" -> sb.append(pick(pastVerbs));
                case "LETTER" -> sb.append((char) ('A' + random.nextInt(26)));
                case "num" -> sb.append(1 + random.nextInt(random.nextBoolean() ? 30 : 2100));
                default -> throw new IllegalStateException("unknown slot {" + slot + "} in name-templates.txt");
            }
        }
        sb.append(template, at, template.length());
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static String capitalise(String w) {
        return w.isEmpty() ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    // ---- learning: averaged perceptron, greedy left to right, trained on its own previous tags ----

    private NameModel fit(List<Example> examples, Config config) {
        int size = 1 << config.bits();
        int mask = size - 1;
        double[] w = new double[NameModel.TAGS * size];
        double[] u = new double[NameModel.TAGS * size]; // sum of c * update, for the averaged weights w - u / c
        long c = 1;
        int[] feats = new int[Features.COUNT];
        Features.Flags lex = lexiconFlags();
        List<NameTokens> tokens = new ArrayList<>(examples.size());
        List<int[]> gold = new ArrayList<>(examples.size());
        for (Example e : examples) {
            NameTokens t = NameTokens.of(e.text());
            tokens.add(t);
            gold.add(goldTags(t, e.names()));
        }
        int[] order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int x = order[i];
                order[i] = order[j];
                order[j] = x;
            }
            for (int idx : order) {
                NameTokens t = tokens.get(idx);
                int[] g = gold.get(idx);
                int prev = NameModel.O;
                for (int i = 0; i < t.size(); i++) {
                    if (!t.candidate(i)) {
                        prev = NameModel.O;
                        continue;
                    }
                    Features.extract(t, i, prev, mask, lex, feats);
                    double o = 0;
                    double n = 0;
                    for (int f : feats) {
                        o += w[f];
                        n += w[size + f];
                    }
                    int pred = n > o ? NameModel.N : NameModel.O;
                    int truth = g[i];
                    if (pred != truth) {
                        for (int f : feats) {
                            w[truth * size + f] += 1;
                            u[truth * size + f] += c;
                            w[pred * size + f] -= 1;
                            u[pred * size + f] -= c;
                        }
                    }
                    c++;
                    prev = pred;
                }
            }
        }
        float[] avg = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            avg[i] = (float) (w[i] - u[i] / c);
        }
        return new NameModel(config.bits(), avg, new TreeMap<>(lexicon));
    }

    private Features.Flags lexiconFlags() {
        NameModel.LongIntMap map = new NameModel.LongIntMap(lexicon.size());
        lexicon.forEach((k, v) -> map.put(NameTokens.hashLower(k, 0, k.length()), v));
        return map::get;
    }

    /** N for candidate tokens inside a generated name, O elsewhere. */
    static int[] goldTags(NameTokens t, List<int[]> names) {
        int[] tags = new int[t.size()];
        for (int i = 0; i < t.size(); i++) {
            if (!t.candidate(i)) {
                continue;
            }
            for (int[] n : names) {
                if (t.start(i) >= n[0] && t.end(i) <= n[1]) {
                    tags[i] = NameModel.N;
                    break;
                }
            }
        }
        return tags;
    }

    // ---- word lists from datafaker's data files and the JDK ----

    private static List<String> readTemplates() {
        List<String> out = new ArrayList<>();
        try (InputStream in = NameTrainer.class.getResourceAsStream("name-templates.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.replace("\\n", "\n"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read name-templates.txt", e);
        }
        return out;
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** All string leaves under en.faker.{path…} of one of datafaker's data files. */
    static List<String> strings(String resource, String... path) {
        try (InputStream in = Faker.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("datafaker has no " + resource);
            }
            JsonNode node = YAML.readTree(in).path("en").path("faker");
            for (String p : path) {
                node = node.path(p);
            }
            List<String> out = new ArrayList<>();
            collect(node, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the datafaker jar", e);
        }
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n.isTextual()) {
            String s = n.asText().strip();
            if (!s.isEmpty() && !s.contains("#{")) {
                out.add(s);
            }
        } else if (n.isContainerNode()) {
            n.forEach(c -> collect(c, out));
        }
    }

    /** Lower-case words of datafaker's English data files (not the name, e-mail or URL lists), in a fixed order. */
    static List<String> englishTextWords() {
        Set<String> skip = Set.of("en/name.yml", "en/funny_name.yml", "en/internet.yml", "en/domain.yml", "en/twitter.yml",
                "en/app.yml", "en/slack_emoji.yml", "en/emoji.yml");
        Set<String> out = new java.util.TreeSet<>();
        Pattern word = Pattern.compile("(?<![\\p{L}@./#])[a-z][a-z']*[a-z](?![\\p{L}@./])");
        java.net.URL url = Faker.class.getClassLoader().getResource("en/words.yml");
        try {
            java.net.JarURLConnection jar = (java.net.JarURLConnection) url.openConnection();
            jar.setUseCaches(false);
            try (java.util.jar.JarFile file = jar.getJarFile()) {
                List<String> names = new ArrayList<>();
                file.stream().map(java.util.zip.ZipEntry::getName)
                        .filter(n -> n.startsWith("en/") && n.endsWith(".yml") && !skip.contains(n)).forEach(names::add);
                java.util.Collections.sort(names);
                for (String n : names) {
                    try (InputStream in = file.getInputStream(file.getEntry(n))) {
                        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                            if (line.contains("http") || line.contains("@") || line.strip().endsWith(":")) {
                                continue;
                            }
                            Matcher m = word.matcher(line);
                            while (m.find()) {
                                out.add(m.group());
                            }
                        }
                    }
                }
            }
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("cannot list datafaker's English data files", e);
        }
        return new ArrayList<>(out);
    }

    private static List<String> countries() {
        List<String> out = new ArrayList<>();
        for (String cc : Locale.getISOCountries()) {
            out.add(new Locale("", cc).getDisplayCountry(Locale.ENGLISH));
        }
        return out;
    }

    private static List<String> languages() {
        List<String> out = new ArrayList<>();
        for (String l : Locale.getISOLanguages()) {
            out.add(new Locale(l).getDisplayLanguage(Locale.ENGLISH));
        }
        return out;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> out = new ArrayList<>();
        for (List<String> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
