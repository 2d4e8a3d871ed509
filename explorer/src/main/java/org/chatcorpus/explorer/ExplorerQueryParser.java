package org.chatcorpus.explorer;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Lucene's classic query syntax (phrases, AND/OR/NOT, default AND) where an exact phrase over all
 * messages is answered from the indexed word pairs ({@link ExplorerIndex#F_PAIRS}): a two-word
 * phrase becomes one pair term, whose document frequency is its count; a longer phrase still checks
 * positions, but only in conversations that contain every one of its pairs. Both give exactly the
 * conversations the positional phrase gives, since a pair term is indexed for each two adjacent
 * words of one message. Sloppy phrases and phrases on a role's field are left positional.
 */
final class ExplorerQueryParser extends QueryParser {
    private final Analyzer indexAnalyzer;

    ExplorerQueryParser(String field, Analyzer queryAnalyzer, Analyzer indexAnalyzer) {
        super(field, queryAnalyzer);
        this.indexAnalyzer = indexAnalyzer;
        setDefaultOperator(Operator.AND);
        setAllowLeadingWildcard(false);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
        Query positional = super.getFieldQuery(field, queryText, slop);
        if (slop != 0 || positional == null || !ExplorerIndex.F_TEXT.equals(field)) {
            return positional;
        }
        List<String> pairs = pairs(queryText);
        if (pairs.isEmpty()) {
            return positional; // a one-word phrase is that word
        }
        if (pairs.size() == 1) {
            return new TermQuery(new Term(ExplorerIndex.F_PAIRS, pairs.get(0)));
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder().add(positional, BooleanClause.Occur.MUST);
        for (String p : pairs) {
            b.add(new TermQuery(new Term(ExplorerIndex.F_PAIRS, p)), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    /** The pair terms of a phrase, analysed exactly as the index analyses message text into pairs. */
    private List<String> pairs(String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = indexAnalyzer.tokenStream(ExplorerIndex.F_PAIRS, new StringReader(text))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return out;
    }
}
