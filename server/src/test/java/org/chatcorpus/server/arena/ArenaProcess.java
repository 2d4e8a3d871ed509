package org.chatcorpus.server.arena;

import org.chatcorpus.server.modelserver.ScriptedModelServer;

/**
 * The Arena as its own process, for tests that kill it: {@code ArenaProcess DATA_DIR} serves the
 * scripted models on loopback with limits out of the way, prints {@code NOTE …} for each thing the
 * start repaired and then {@code ARENA_PORT n}, and runs until killed.
 */
public final class ArenaProcess {
    private ArenaProcess() {
    }

    public static void main(String[] args) throws Exception {
        ScriptedModelServer models = ScriptedModelServer.start(0);
        ArenaConfig config = ArenaConfig.defaults().withDataDir(args[0])
                .withModels(ArenaConfig.scriptedModels(models.baseUrl()))
                .withLimits(new ArenaConfig.Limits(1_000_000, 16_000, 1_000_000));
        ArenaApp app = ArenaApp.start(ArenaService.open(config), "127.0.0.1", 0);
        app.service().startupNotes().forEach(n -> System.out.println("NOTE " + n));
        System.out.println("ARENA_PORT " + app.port());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
