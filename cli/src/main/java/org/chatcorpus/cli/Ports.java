package org.chatcorpus.cli;

import java.net.BindException;

/** Turns "address already in use" from any server library into an error that names the port. */
final class Ports {
    private Ports() {
    }

    static boolean isBindFailure(Throwable t) {
        // Javalin wraps Jetty's BindException in its own JavalinBindException, without the cause on some paths.
        return t instanceof BindException || t.getClass().getSimpleName().equals("JavalinBindException");
    }

    /**
     * Fails with a message naming the port when it is taken, before a server library logs its own
     * error and stack trace; {@link #start} still catches the race where it is taken just after.
     */
    static void requireFree(String host, int port, String flag) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty and our loopback server bind, so a port in TIME_WAIT counts as free
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (BindException e) {
            throw inUse(host, port, flag, e);
        } catch (java.io.IOException e) {
            // An unknown host or the like: let the server's own start report it.
        }
    }

    private static UserError inUse(String host, int port, String flag, Exception cause) {
        return new UserError(ExitCode.FAILED, "port " + port + " on " + host + " is already in use",
                "stop the program using it or choose another port with " + flag, cause);
    }

    /** Runs a server start; a bind failure anywhere in its causes becomes a UserError naming host:port and the flag. */
    static <T> T start(String host, int port, String flag, Starter<T> start) throws Exception {
        requireFree(host, port, flag);
        try {
            return start.start();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (isBindFailure(t)) {
                    throw inUse(host, port, flag, e);
                }
            }
            throw e;
        }
    }

    interface Starter<T> {
        T start() throws Exception;
    }
}
