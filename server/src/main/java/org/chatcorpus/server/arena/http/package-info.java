/**
 * A small blocking HTTP/1.1 client for the Arena's calls to model endpoints over plain
 * {@code http://} (loopback or in-cluster vLLM, llama.cpp, Ollama servers): one POST, one streamed
 * answer, connections kept alive in a pool per destination.
 *
 * <p>Why not HttpURLConnection, which the Arena used before: the JDK keeps at most 5 idle connections
 * per host ({@code http.maxConnections}), so with 32 concurrent model calls about a fifth opened a
 * fresh TCP connection, and its per-call machinery (URL parsing, permission checks, header maps, the
 * synchronized keep-alive cache) was ~19% of the Arena's CPU under load. java.net.http.HttpClient
 * measured slower than HttpURLConnection for many short streamed answers, and a client library
 * (Apache HttpClient, OkHttp) would be a further dependency, with its own pool and machinery, for
 * one request shape. {@code https://} endpoints keep HttpURLConnection: their remote latency dominates.
 *
 * <p>Entry points: {@link org.chatcorpus.server.arena.http.PlainHttpClient} sends a request to an
 * {@link org.chatcorpus.server.arena.http.HttpTarget}; {@link org.chatcorpus.server.arena.http.LineReader}
 * reads a streamed body line by line (used for both transports).
 */
package org.chatcorpus.server.arena.http;
