package org.chatcorpus.explorer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.FixedBitSet;

/**
 * Ranks a boolean query made only of common words ({@link TermScoreColumns}) from their match bit
 * sets and score columns: the exact total and the top hits by BM25, as Lucene's own search gives them.
 *
 * <p>Semantics follow Lucene's {@link BooleanQuery} with no minimum-should-match: a document must
 * match every MUST and FILTER clause and no MUST_NOT clause; SHOULD clauses are optional when there
 * is a MUST or FILTER clause, otherwise at least one must match; the score is the sum of the scores
 * of the matching MUST and SHOULD clauses (FILTER and MUST_NOT add nothing), summed in double
 * precision and rounded to float as Lucene's conjunction and disjunction scorers do. Ties keep the
 * lower document id first, as Lucene's top-score collector does. Scores may differ from Lucene's in
 * the last bit where Lucene sums clauses in another order; ranks can then differ only between
 * documents whose scores are equal to that precision.
 */
final class CommonWordSearch {
    private final TermScoreColumns columns;

    CommonWordSearch(TermScoreColumns columns) {
        this.columns = columns;
    }

    /** Exact total and the best {@code n} documents (score descending, then document id). */
    record TopHits(long total, ScoreDoc[] top) {
    }

    /** The answer for this query, or null when it is not a boolean query of common words only. */
    TopHits search(Query query, int n) throws IOException {
        if (!(query instanceof BooleanQuery)) {
            return null; // a single word ranks fast in Lucene: block-max skipping works for one term
        }
        Set<Term> terms = new HashSet<>();
        if (!supported(query, terms) || terms.size() > columns.capacity()) {
            return null;
        }
        for (Term t : terms) {
            if (!columns.isCommon(t)) {
                return null; // a rare word leads Lucene's conjunction and keeps it cheap
            }
        }
        Node root = compile(query);
        return rank(root, n);
    }

    /** Term queries and boolean queries of them, without minimum-should-match or boosts. */
    private static boolean supported(Query q, Set<Term> terms) {
        if (q instanceof TermQuery tq) {
            terms.add(tq.getTerm());
            return true;
        }
        if (q instanceof BooleanQuery bq) {
            if (bq.getMinimumNumberShouldMatch() != 0 || bq.clauses().isEmpty()) {
                return false;
            }
            for (BooleanClause c : bq.clauses()) {
                if (!supported(c.getQuery(), terms)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private Node compile(Query q) throws IOException {
        if (q instanceof TermQuery tq) {
            TermScoreColumns.Column c = columns.column(tq.getTerm());
            return new Word(c.scores(), c.present());
        }
        BooleanQuery bq = (BooleanQuery) q;
        List<Node> must = new ArrayList<>();
        List<Node> filter = new ArrayList<>();
        List<Node> should = new ArrayList<>();
        List<Node> not = new ArrayList<>();
        for (BooleanClause c : bq.clauses()) {
            Node node = compile(c.getQuery());
            switch (c.getOccur()) {
                case MUST -> must.add(node);
                case FILTER -> filter.add(node);
                case SHOULD -> should.add(node);
                case MUST_NOT -> not.add(node);
            }
        }
        return new Bool(must, filter, should, not, columns.maxDoc());
    }

    /**
     * A query part: the documents it matches (a bit set, so AND, OR and NOT cost a few thousand
     * word operations per million documents, with no branch per document) and its score in one of them.
     */
    private interface Node {
        FixedBitSet matches();

        /** The score in a document this part matches. */
        double score(int doc);

        /** The score this part adds to an enclosing boolean in any document: 0 where it does not match. */
        double contribution(int doc);
    }

    private record Word(float[] scores, FixedBitSet matches) implements Node {
        @Override
        public double score(int doc) {
            return scores[doc];
        }

        @Override
        public double contribution(int doc) {
            return scores[doc]; // 0 where the word is absent: no test needed
        }
    }

    private static final class Bool implements Node {
        private final Node[] scoring; // MUST and SHOULD clauses: FILTER and MUST_NOT add nothing to the score
        private final FixedBitSet matches;

        Bool(List<Node> must, List<Node> filter, List<Node> should, List<Node> not, int maxDoc) {
            List<Node> required = new ArrayList<>(must);
            required.addAll(filter);
            FixedBitSet m;
            if (!required.isEmpty()) {
                m = required.get(0).matches().clone();
                for (Node r : required.subList(1, required.size())) {
                    m.and(r.matches());
                }
            } else {
                m = new FixedBitSet(maxDoc); // only SHOULD clauses: one must match; only MUST_NOT: nothing matches
                for (Node o : should) {
                    m.or(o.matches());
                }
            }
            for (Node x : not) {
                m.andNot(x.matches());
            }
            this.matches = m;
            List<Node> sc = new ArrayList<>(must);
            sc.addAll(should);
            this.scoring = sc.toArray(Node[]::new);
        }

        @Override
        public FixedBitSet matches() {
            return matches;
        }

        @Override
        public double score(int doc) {
            double sum = 0;
            for (Node n : scoring) {
                sum += n.contribution(doc);
            }
            return (float) sum; // each boolean's score is a float in Lucene
        }

        @Override
        public double contribution(int doc) {
            return matches.get(doc) ? score(doc) : 0;
        }
    }

    /** Counts the matches and keeps the best n of them in a min-heap, visiting only matching documents. */
    private static TopHits rank(Node root, int n) {
        FixedBitSet matches = root.matches();
        int size = Math.max(0, n);
        float[] heapScore = new float[size];
        int[] heapDoc = new int[size];
        int filled = 0;
        long[] bits = matches.getBits();
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            while (word != 0) {
                int d = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                float s = (float) root.score(d);
                if (filled < size) {
                    heapScore[filled] = s;
                    heapDoc[filled] = d;
                    siftUp(heapScore, heapDoc, filled++);
                } else if (size > 0 && s > heapScore[0]) { // strictly better: on a tie the earlier document stays
                    heapScore[0] = s;
                    heapDoc[0] = d;
                    siftDown(heapScore, heapDoc, 0, size);
                }
            }
        }
        ScoreDoc[] top = new ScoreDoc[filled];
        for (int i = filled - 1; i >= 0; i--) {
            top[i] = new ScoreDoc(heapDoc[0], heapScore[0]);
            heapScore[0] = heapScore[i];
            heapDoc[0] = heapDoc[i];
            siftDown(heapScore, heapDoc, 0, i);
        }
        return new TopHits(matches.cardinality(), top);
    }

    /** Heap order: the root is the worst kept hit (lowest score; on equal scores, the later document). */
    private static boolean worse(float[] s, int[] d, int a, int b) {
        return s[a] < s[b] || (s[a] == s[b] && d[a] > d[b]);
    }

    private static void siftUp(float[] s, int[] d, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(s, d, i, parent)) {
                return;
            }
            swap(s, d, i, parent);
            i = parent;
        }
    }

    private static void siftDown(float[] s, int[] d, int i, int size) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int worst = l + 1 < size && worse(s, d, l + 1, l) ? l + 1 : l;
            if (!worse(s, d, worst, i)) {
                return;
            }
            swap(s, d, i, worst);
            i = worst;
        }
    }

    private static void swap(float[] s, int[] d, int a, int b) {
        float ts = s[a];
        s[a] = s[b];
        s[b] = ts;
        int td = d[a];
        d[a] = d[b];
        d[b] = td;
    }
}
