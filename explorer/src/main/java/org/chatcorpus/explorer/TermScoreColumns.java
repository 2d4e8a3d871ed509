package org.chatcorpus.explorer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The BM25 score of a common word in every conversation, as one float per document (0 where the
 * word is absent) beside a bit set of the documents holding it, for words found in at least an
 * eighth of the conversations.
 *
 * <p>Why: ranking a boolean query of such words visits nearly every document. Their scores barely
 * differ (idf is near zero), so block-max skipping finds no block to skip, and decoding two or three
 * long posting lists per query costs 10–30 ms on a million conversations. With the scores laid out
 * by document, the same exact ranking is a pass over a few arrays. A column is the term's own
 * {@link TermQuery} scorer run once over the index, so its values are Lucene's scores bit for bit.
 *
 * <p>Columns are built on first use and kept in a least-recently-used map bounded in bytes; the
 * index is read-only while the explorer serves, so a column never goes stale.
 */
final class TermScoreColumns {
    /** A word counts as common when it occurs in at least 1/8 of the conversations. */
    static final int COMMON_SHARE_DIVISOR = 8;

    private final IndexSearcher searcher;
    private final int maxDoc;
    private final int maxColumns;
    /** A word's scores by document (0 where absent) and the documents that hold it. */
    record Column(float[] scores, FixedBitSet present) {
    }

    private final Map<Term, Column> columns = new LinkedHashMap<>(16, 0.75f, true);
    private long built;

    TermScoreColumns(IndexSearcher searcher, long maxBytes) {
        this.searcher = searcher;
        this.maxDoc = searcher.getIndexReader().maxDoc();
        // Four bytes of score and one bit of presence per document and word.
        this.maxColumns = (int) Math.max(0, Math.min(Integer.MAX_VALUE, maxBytes / (4L * Math.max(1, maxDoc) + maxDoc / 8 + 64)));
    }

    /** Room for columns within an eighth of the heap, at most 256 MB. */
    static long defaultBudget() {
        return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    int maxDoc() {
        return maxDoc;
    }

    /** Whether this term is common enough to have a column (and there is room for columns at all). */
    boolean isCommon(Term t) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        return maxColumns >= 1 && (long) reader.docFreq(t) * COMMON_SHARE_DIVISOR >= maxDoc;
    }

    /** How many columns fit in the budget: a query needing more than this is left to Lucene. */
    int capacity() {
        return maxColumns;
    }

    /** Columns built so far (tests: a repeated word is not rebuilt). */
    synchronized long built() {
        return built;
    }

    /** The term's score in every document, indexed by the reader's global document id. */
    Column column(Term t) throws IOException {
        synchronized (this) {
            Column c = columns.get(t);
            if (c != null) {
                return c;
            }
        }
        // Built outside the lock so other queries go on meanwhile; two threads may build the same
        // column at once, which costs time but gives the same values.
        Column c = build(t);
        synchronized (this) {
            columns.put(t, c);
            built++;
            while (columns.size() > maxColumns) {
                columns.remove(columns.keySet().iterator().next());
            }
        }
        return c;
    }

    private Column build(Term t) throws IOException {
        float[] c = new float[maxDoc];
        FixedBitSet present = new FixedBitSet(maxDoc);
        Weight w = searcher.createWeight(searcher.rewrite(new TermQuery(t)), ScoreMode.COMPLETE, 1f);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer s = w.scorer(leaf);
            if (s == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            DocIdSetIterator it = s.iterator();
            for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
                if (live == null || live.get(d)) {
                    c[leaf.docBase + d] = s.score();
                    present.set(leaf.docBase + d);
                }
            }
        }
        return new Column(c, present);
    }
}
