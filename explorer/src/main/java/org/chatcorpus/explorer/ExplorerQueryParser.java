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
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * Lucene's classic query syntax (phrases, AND/OR/NOT, default AND) where an exact phrase over all
 * messages is answered from the indexed word pairs ({@link ExplorerIndex#F_PAIRS}): a two-word
 * phrase becomes one pair term, whose document frequency is its count; a longer phrase still checks
 * positions, but only in conversations that contain every one of its pairs. Both give exactly the
 * conversations the positional phrase gives, since a pair term is indexed for each two adjacent
 * words of one message. Sloppy phrases and phrases on a role's field are left positional.
 *
 * <p>Cost limits: a wildcard, prefix or regular expression must begin with at least
 * {@link #MIN_FIXED_PREFIX} fixed characters (for a regular expression, the prefix every string
 * it matches shares: {@code /.*}{@code /}, {@code /[a-z]+/} and {@code /ab|.*}{@code /} have none), since
 * without one a single term walks the whole vocabulary; a regular expression too complex to
 * compile within Lucene's default work limit is refused; and a query holds at most
 * {@link #MAX_EXPANDING_TERMS} such terms. Each refusal is a {@link TooCostly} with a message for the user.
 */
final class ExplorerQueryParser extends QueryParser {
    static final int MIN_FIXED_PREFIX = 2;
    static final int MAX_EXPANDING_TERMS = 4;

    /** A query refused for what it would cost; the message says why and what to type instead. */
    static final class TooCostly extends RuntimeException {
        TooCostly(String message) {
            super(message, null, false, false);
        }
    }

    private final Analyzer indexAnalyzer;
    private int expanding;

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

    @Override
    protected Query getRegexpQuery(String field, String termStr) throws ParseException {
        Automaton a;
        try {
            a = new RegExp(termStr).toAutomaton(Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        } catch (TooComplexToDeterminizeException e) {
            throw new TooCostly("the regular expression /" + termStr + "/ is too complex to search; simplify it");
        } catch (IllegalArgumentException e) {
            return super.getRegexpQuery(field, termStr); // not a valid expression: the parser's own error
        }
        requireFixedStart("/" + termStr + "/", Operations.getCommonPrefix(a));
        return super.getRegexpQuery(field, termStr);
    }

    @Override
    protected Query getWildcardQuery(String field, String termStr) throws ParseException {
        Query q = super.getWildcardQuery(field, termStr); // refuses a leading * or ?, and turns *:* into all documents
        if ("*".equals(field) && "*".equals(termStr)) {
            return q;
        }
        requireFixedStart(termStr, fixedStart(termStr));
        return q;
    }

    @Override
    protected Query getPrefixQuery(String field, String termStr) throws ParseException {
        requireFixedStart(termStr + "*", termStr);
        return super.getPrefixQuery(field, termStr);
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) throws ParseException {
        countExpanding(termStr + "~");
        return super.getFuzzyQuery(field, termStr, minSimilarity);
    }

    private void requireFixedStart(String shown, String fixed) {
        if (fixed.codePointCount(0, fixed.length()) < MIN_FIXED_PREFIX) {
            throw new TooCostly(shown + " would scan every word in the index: a wildcard, prefix or regular expression must "
                    + "start with at least " + MIN_FIXED_PREFIX + " fixed characters (e.g. ze* or /ze.*/)");
        }
        countExpanding(shown);
    }

    private void countExpanding(String shown) {
        if (++expanding > MAX_EXPANDING_TERMS) {
            throw new TooCostly("the query has more than " + MAX_EXPANDING_TERMS + " wildcard, fuzzy or regular-expression terms (at "
                    + shown + "); use fewer");
        }
    }

    /** The characters of a wildcard pattern before its first unescaped * or ?. */
    private static String fixedStart(String pattern) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                out.append(pattern.charAt(++i));
            } else if (c == '*' || c == '?') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
