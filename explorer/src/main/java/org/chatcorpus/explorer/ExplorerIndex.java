package org.chatcorpus.explorer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.commongrams.CommonGramsFilter;
import org.apache.lucene.analysis.commongrams.CommonGramsQueryFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.analysis.shingle.ShingleFilter;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.chatcorpus.core.io.BatchWorkers;
import org.chatcorpus.core.io.CountingQuarantine;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.io.json.ReleaseRecordJson;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.chatcorpus.core.model.ModerationCategory;
import org.chatcorpus.core.progress.Progress;
import org.chatcorpus.core.stats.ReleaseDigest;
import org.chatcorpus.core.stats.BasicStatistics;
import org.chatcorpus.core.stats.StatsAccumulator;

/**
 * The explorer's Lucene index over a dataset: one document per conversation, message text indexed
 * per role (user, assistant, other) with positions for phrases, keyword fields and doc values for
 * filters, facets and sorts, and the whole release record stored (Lucene compresses stored fields)
 * so a conversation is shown or exported without reading the dataset again.
 *
 * <p>An index directory holds a fingerprint of the dataset's files (paths, sizes, modification
 * times) written only after a successful commit, the dataset's Basic Statistics and its
 * {@link ReleaseDigest}; it is reused while the fingerprint matches and rebuilt otherwise.
 */
public final class ExplorerIndex implements AutoCloseable {
    static final String FORMAT_VERSION = "chatcorpus-explorer-index 6";
    static final String FINGERPRINT_FILE = "fingerprint.txt";
    static final String STATS_FILE = "stats.json";
    /** The served release's {@link ReleaseDigest}, to refuse a report's vectors computed from another release. */
    static final String DIGEST_FILE = "release-digest.txt";

    static final String F_ID = "id";
    /** Every message's text, for role-independent queries (a single field keeps them fast). */
    static final String F_TEXT = "text";
    /**
     * Every pair of adjacent words of a message ("python function"), with its frequency: an exact
     * two-word phrase is one term lookup here instead of a position check in every conversation
     * that has both words, and a longer phrase only checks positions where all its pairs occur.
     */
    static final String F_PAIRS = "pairs";
    static final String F_USER = "user";
    static final String F_ASSISTANT = "assistant";
    static final String F_OTHER = "other";
    static final String[] TEXT_FIELDS = {F_USER, F_ASSISTANT, F_OTHER};
    static final String F_MODEL = "model";
    static final String F_LANGUAGE = "language";
    static final String F_TOPIC = "topic";
    static final String F_FLAGGED = "flagged";
    static final String F_CATEGORY = "category";
    static final String F_REDACTED = "redacted";
    static final String F_TURN = "turn";
    static final String F_LENGTH = "length";
    static final String F_RECORD = "record";
    private static final int MAX_KEYWORD_CHARS = 256;
    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final FSDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final org.apache.lucene.search.LRUQueryCache filterCache;
    private final CommonWordSearch commonWords;
    private final JsonNode stats;
    private final String releaseDigest;
    private final boolean reused;
    private final Analyzer analyzer = analyzer();
    private final Analyzer queryAnalyzer = queryAnalyzer();

    private ExplorerIndex(Path dir, boolean reused) throws IOException {
        this.dir = dir;
        this.reused = reused;
        this.directory = FSDirectory.open(dir);
        this.reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
        this.filterCache = FilterCache.install(searcher);
        this.commonWords = new CommonWordSearch(new TermScoreColumns(searcher, TermScoreColumns.defaultBudget()));
        this.stats = Files.exists(dir.resolve(STATS_FILE)) ? MAPPER.readTree(dir.resolve(STATS_FILE).toFile()) : MAPPER.createObjectNode();
        this.releaseDigest = Files.exists(dir.resolve(DIGEST_FILE)) ? Files.readString(dir.resolve(DIGEST_FILE)).strip() : null;
    }

    /**
     * Very frequent words (a few per common language). Phrases containing them are indexed and
     * searched as word pairs too ("the_model"), so a phrase like "write a story" does not have to
     * check the positions of "a" in nearly every conversation.
     */
    static final CharArraySet COMMON_WORDS = new CharArraySet(List.of(
            "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "give", "have", "how", "i", "if", "in",
            "is", "it", "me", "my", "name", "no", "not", "of", "on", "or", "please", "so", "that", "the", "their", "then", "there",
            "these", "they", "this", "to", "was", "we", "what", "will", "with", "write", "you", "your",
            "de", "la", "el", "en", "que", "por", "para", "un", "una", "o", "e", "é", "em", "não",
            "и", "в", "не", "на", "что", "это", "как", "о",
            "der", "die", "das", "und", "ist", "ein", "eine", "le", "les", "et", "est", "il", "di", "che", "het", "een"), false);

    /**
     * Index analysis: lower-cased Unicode words plus pairs with a common word; in the pair field only
     * the adjacent word pairs. Messages of one field are kept apart (no pair spans two messages).
     */
    static Analyzer analyzer() {
        return new Analyzer(Analyzer.PER_FIELD_REUSE_STRATEGY) { // the pair field has its own chain
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                StandardTokenizer source = new StandardTokenizer();
                if (fieldName.equals(F_PAIRS)) {
                    ShingleFilter pairs = new ShingleFilter(new LowerCaseFilter(source), 2, 2);
                    pairs.setOutputUnigrams(false);
                    pairs.setTokenSeparator(PAIR_SEPARATOR);
                    return new TokenStreamComponents(source, pairs);
                }
                TokenStream tokens = new CommonGramsFilter(new LowerCaseFilter(source), COMMON_WORDS);
                return new TokenStreamComponents(source, tokens);
            }

            @Override
            public int getPositionIncrementGap(String fieldName) {
                return 100;
            }
        };
    }

    /** Joins the two words of a pair term; the word tokenizer never puts a space inside a word. */
    static final String PAIR_SEPARATOR = " ";

    /** Word pairs are only looked up, never scored by position: documents and frequencies suffice. */
    private static final FieldType PAIRS_TYPE = pairsType();

    private static FieldType pairsType() {
        FieldType t = new FieldType();
        t.setTokenized(true);
        t.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
        t.freeze();
        return t;
    }

    /** Query analysis: the same words, with a phrase's common words searched as the indexed pairs. */
    static Analyzer queryAnalyzer() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                StandardTokenizer source = new StandardTokenizer();
                TokenStream tokens = new CommonGramsQueryFilter(new CommonGramsFilter(new LowerCaseFilter(source), COMMON_WORDS));
                return new TokenStreamComponents(source, tokens);
            }
        };
    }

    /** The text field a message of this role is indexed in. */
    static String fieldFor(String role) {
        return Message.USER.equals(role) ? F_USER : Message.ASSISTANT.equals(role) ? F_ASSISTANT : F_OTHER;
    }

    /** Where the index goes when no --index is given: a per-input folder of the user's cache. */
    public static Path defaultIndexDir(List<String> inputs) {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        StringBuilder key = new StringBuilder();
        for (String in : inputs) {
            key.append(Path.of(in).toAbsolutePath().normalize()).append('\n');
        }
        return base.resolve("chatcorpus").resolve("explore").resolve(sha256(key.toString()).substring(0, 16));
    }

    /** The dataset's fingerprint: format version, then each file's absolute path, size and modification time. */
    static String fingerprint(List<Path> files) throws IOException {
        StringBuilder sb = new StringBuilder(FORMAT_VERSION).append('\n');
        for (Path f : files) {
            sb.append(f.toAbsolutePath().normalize()).append('\t').append(Files.size(f)).append('\t')
                    .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
        }
        return sb.toString();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens the index in {@code indexDir} when it was built from exactly these files, else (re)builds
     * it first. {@code log} gets one line saying which.
     */
    public static ExplorerIndex openOrBuild(List<String> inputs, String format, Path indexDir, Progress progress, PrintStream log)
            throws IOException {
        return openOrBuild(inputs, format, null, indexDir, progress, log);
    }

    /**
     * As above, with the report's topic assignments ({@code topics.parquet}, or null): each
     * conversation gets the clusters of its sampled prompts as the {@code topic} filter.
     */
    public static ExplorerIndex openOrBuild(List<String> inputs, String format, Path topics, Path indexDir, Progress progress,
            PrintStream log) throws IOException {
        DatasetReader dataset = new DatasetReader(inputs, format);
        List<Path> files = dataset.files();
        if (files.isEmpty()) {
            throw new IOException("no input files in " + inputs);
        }
        if (topics != null && !Files.isRegularFile(topics)) {
            throw new IOException("topic assignments " + topics + " not found (the report writes REPORT_DIR/topics.parquet)");
        }
        String fp = fingerprint(topics == null ? files : concat(files, topics));
        Path fpFile = indexDir.resolve(FINGERPRINT_FILE);
        if (Files.exists(fpFile) && Files.readString(fpFile).equals(fp)) {
            ExplorerIndex idx = new ExplorerIndex(indexDir, true);
            log.println("explore: reusing the index in " + indexDir + " (" + idx.size() + " conversations; dataset unchanged)");
            return idx;
        }
        TopicLabels labels = topics == null ? TopicLabels.none() : TopicLabels.read(topics);
        prepare(indexDir);
        long start = System.nanoTime();
        long n = build(dataset, labels, indexDir, progress);
        Path tmp = indexDir.resolve(FINGERPRINT_FILE + ".tmp");
        Files.writeString(tmp, fp);
        Files.move(tmp, fpFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.printf(java.util.Locale.ROOT, "explore: indexed %,d conversations from %d file(s) in %.1fs into %s%n", n, files.size(),
                (System.nanoTime() - start) / 1e9, indexDir);
        return new ExplorerIndex(indexDir, false);
    }

    /** Makes the directory ready for a fresh build, refusing to wipe a folder that is not an index of ours. */
    private static void prepare(Path indexDir) throws IOException {
        Files.createDirectories(indexDir);
        boolean empty;
        boolean ours;
        try (Stream<Path> s = Files.list(indexDir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            empty = names.isEmpty();
            ours = names.stream().anyMatch(n -> n.equals(FINGERPRINT_FILE) || n.equals(STATS_FILE) || n.startsWith("segments") || n.equals("write.lock"));
        }
        if (!empty && !ours) {
            throw new IOException(indexDir + " is not empty and not an explorer index; choose another --index");
        }
        Files.deleteIfExists(indexDir.resolve(FINGERPRINT_FILE));
        Files.deleteIfExists(indexDir.resolve(STATS_FILE));
        Files.deleteIfExists(indexDir.resolve(DIGEST_FILE));
    }

    /**
     * Streams the dataset into a new index: the reader (parallel where the format allows) hands
     * batches through a bounded queue to one indexing worker per core. Returns the number indexed.
     */
    static long build(DatasetReader dataset, Path indexDir, Progress progress) throws IOException {
        return build(dataset, TopicLabels.none(), indexDir, progress);
    }

    private static List<Path> concat(List<Path> files, Path extra) {
        List<Path> all = new java.util.ArrayList<>(files);
        all.add(extra);
        return all;
    }

    static long build(DatasetReader dataset, TopicLabels topics, Path indexDir, Progress progress) throws IOException {
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setRAMBufferSizeMB(Math.max(64, Math.min(512, Runtime.getRuntime().maxMemory() / (8L << 20))))
                .setUseCompoundFile(false);
        CountingQuarantine quarantine = Quarantine.counting();
        try (FSDirectory d = FSDirectory.open(indexDir); IndexWriter writer = new IndexWriter(d, cfg)) {
            List<Counts> accs;
            try {
                // IndexWriter is thread-safe: one indexing worker per core, each counting its own statistics.
                accs = BatchWorkers.run(dataset, quarantine, progress, "explore-index", Counts::new, (acc, c) -> {
                    try {
                        writer.addDocument(document(c, topics.of(c.conversationId())));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    acc.stats().add(c, null);
                    acc.digest().add(c);
                });
            } catch (RuntimeException e) {
                writer.rollback();
                throw e instanceof UncheckedIOException u ? u.getCause() : new IOException("indexing failed: " + e, e);
            }
            writer.commit();
            StatsAccumulator total = new StatsAccumulator();
            ReleaseDigest digest = new ReleaseDigest();
            for (Counts a : accs) {
                total.merge(a.stats());
                digest.merge(a.digest());
            }
            BasicStatistics s = BasicStatistics.of(total, null, quarantine.count());
            Files.writeString(indexDir.resolve(STATS_FILE), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s.toJson(MAPPER)));
            Files.writeString(indexDir.resolve(DIGEST_FILE), digest + "\n");
            return writer.getDocStats().numDocs;
        }
    }

    /** One indexing worker's counts. */
    private record Counts(StatsAccumulator stats, ReleaseDigest digest) {
        Counts() {
            this(new StatsAccumulator(), new ReleaseDigest());
        }
    }

    static byte[] recordJson(Conversation c) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
                ReleaseRecordJson.write(c.forRelease(), g, false);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String keyword(String s) {
        return s.length() <= MAX_KEYWORD_CHARS ? s : s.substring(0, MAX_KEYWORD_CHARS);
    }

    private static void keywordField(Document doc, String field, String value) {
        String v = keyword(value);
        doc.add(new StringField(field, v, Field.Store.NO));
        doc.add(new SortedDocValuesField(field, new BytesRef(v)));
    }

    static Document document(Conversation c) {
        return document(c, Set.of());
    }

    static Document document(Conversation c, Set<Integer> topics) {
        Document doc = new Document();
        for (int t : topics) {
            doc.add(new StringField(F_TOPIC, Integer.toString(t), Field.Store.NO));
            doc.add(new SortedSetDocValuesField(F_TOPIC, new BytesRef(Integer.toString(t))));
        }
        doc.add(new StringField(F_ID, c.conversationId(), Field.Store.YES));
        long length = 0;
        for (Message m : c.conversation()) {
            doc.add(new TextField(F_TEXT, m.content(), Field.Store.NO));
            doc.add(new Field(F_PAIRS, m.content(), PAIRS_TYPE));
            doc.add(new TextField(fieldFor(m.role()), m.content(), Field.Store.NO));
            length += m.content().length();
        }
        keywordField(doc, F_MODEL, c.model());
        keywordField(doc, F_LANGUAGE, c.language());
        keywordField(doc, F_FLAGGED, Boolean.toString(c.flagged()));
        keywordField(doc, F_REDACTED, Boolean.toString(c.redacted()));
        for (ModerationCategory cat : ModerationCategory.all()) {
            for (Moderation m : c.openaiModeration()) {
                if (m.category(cat)) {
                    doc.add(new StringField(F_CATEGORY, cat.label(), Field.Store.NO));
                    doc.add(new SortedSetDocValuesField(F_CATEGORY, new BytesRef(cat.label())));
                    break;
                }
            }
        }
        int turn = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c.turn()));
        doc.add(new IntPoint(F_TURN, turn));
        doc.add(new NumericDocValuesField(F_TURN, turn));
        doc.add(new NumericDocValuesField(F_LENGTH, length));
        doc.add(new LongPoint(F_LENGTH, length)); // lets a sort by length skip documents that cannot make the page
        doc.add(new StoredField(F_RECORD, recordJson(c)));
        return doc;
    }

    /** The stored release record of a conversation (JSON bytes), or null when there is none with this id. */
    public byte[] recordBytes(String id) throws IOException {
        TopDocs top = searcher.search(new TermQuery(new Term(F_ID, id)), 1);
        if (top.scoreDocs.length == 0) {
            return null;
        }
        return recordBytes(reader.storedFields(), top.scoreDocs[0].doc);
    }

    static byte[] recordBytes(StoredFields fields, int doc) throws IOException {
        RecordVisitor v = new RecordVisitor();
        fields.document(doc, v);
        return v.record;
    }

    /** Takes only the stored record, as the bytes the stored-fields reader hands over (no Document, no copy). */
    private static final class RecordVisitor extends org.apache.lucene.index.StoredFieldVisitor {
        byte[] record;

        @Override
        public Status needsField(org.apache.lucene.index.FieldInfo field) {
            return field.name.equals(F_RECORD) ? Status.YES : record == null ? Status.NO : Status.STOP;
        }

        @Override
        public void binaryField(org.apache.lucene.index.FieldInfo field, byte[] value) {
            record = value;
        }
    }

    /** The conversation with this id, or null. */
    public Conversation conversation(String id) throws IOException {
        byte[] b = recordBytes(id);
        return b == null ? null : parse(b);
    }

    static Conversation parse(byte[] json) throws IOException {
        try {
            return ReleaseRecordJson.parse(MAPPER.readTree(json));
        } catch (org.chatcorpus.core.io.RecordException e) {
            throw new IOException("stored record is invalid: " + e.getMessage(), e);
        }
    }

    public int size() {
        return reader.numDocs();
    }

    public boolean reused() {
        return reused;
    }

    public Path dir() {
        return dir;
    }

    /** Bytes the index takes on disk. */
    public long sizeOnDisk() throws IOException {
        long total = 0;
        for (String f : directory.listAll()) {
            total += directory.fileLength(f);
        }
        return total;
    }

    /** The served dataset's {@link ReleaseDigest} ("v1:N:HEX"), as computed when the index was built. */
    public String releaseDigest() {
        return releaseDigest;
    }

    /** The dataset's Basic Statistics as {@code stats --json} writes them. */
    public JsonNode statistics() {
        return stats;
    }

    org.apache.lucene.search.LRUQueryCache filterCache() {
        return filterCache;
    }

    CommonWordSearch commonWords() {
        return commonWords;
    }

    IndexSearcher searcher() {
        return searcher;
    }

    DirectoryReader reader() {
        return reader;
    }

    Analyzer analyzerInstance() {
        return analyzer;
    }

    Analyzer queryAnalyzerInstance() {
        return queryAnalyzer;
    }

    public Searcher search() {
        return new Searcher(this);
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
        analyzer.close();
        queryAnalyzer.close();
    }

    static Map<String, String> roleFields() {
        return Map.of("user", F_USER, "assistant", F_ASSISTANT, "other", F_OTHER);
    }
}
