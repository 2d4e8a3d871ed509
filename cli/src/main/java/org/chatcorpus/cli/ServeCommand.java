package org.chatcorpus.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.chatcorpus.server.arena.ArenaApp;
import org.chatcorpus.server.arena.ArenaConfig;
import org.chatcorpus.server.arena.ArenaService;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the Arena: chat with one model, anonymous battles with votes, side-by-side, leaderboard.",
                "Every chat and vote is logged as FastChat JSON lines (DATA_DIR/logs/YYYY-MM-DD-conv.json) and stored "
                        + "in a database (embedded H2 by default, PostgreSQL when configured).",
                "Without models in the config, a loopback scripted model server is started so everything works offline."},
        footer = {"", "Examples:", "  chatcorpus serve", "  chatcorpus serve --config docs/arena.example.yaml --port 8080",
                "The config format (YAML or JSON) is in README, section \"Arena configuration\"."})
final class ServeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "YAML or JSON config (models, database, limits, moderation).")
    Path config;

    @Option(names = "--port", description = "Port (default: config's, else 7860).")
    Integer port;

    @Option(names = "--host", description = "Address to bind (default: config's, else 127.0.0.1).")
    String host;

    @Option(names = "--data-dir", description = "Where logs and the embedded database go (default: config's dataDir, else ~/.local/share/chatcorpus/arena).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (port != null) {
            Flags.port(spec, "--port", port);
        }
        Inputs.requireFile(config, "--config");
        ArenaConfig cfg = config == null ? ArenaConfig.defaults() : ArenaConfig.read(config);
        if (port != null) {
            cfg = cfg.withPort(port);
        }
        if (dataDir != null) {
            cfg = cfg.withDataDir(dataDir.toString());
        }
        ScriptedModelServer scripted = null;
        if (cfg.models().isEmpty()) {
            scripted = ScriptedModelServer.start(0);
            cfg = cfg.withModels(ArenaConfig.scriptedModels(scripted.baseUrl()));
            System.out.println("No models configured: serving scripted models from " + scripted.baseUrl());
        }
        String bind = host != null ? host : cfg.host();
        ArenaService service = ArenaService.open(cfg);
        service.startupNotes().forEach(n -> System.out.println("Recovered: " + n));
        int arenaPort = cfg.port();
        ArenaApp app;
        try {
            app = Ports.start(bind, arenaPort, "--port", () -> ArenaApp.start(service, bind, arenaPort));
        } catch (Exception e) {
            service.close();
            if (scripted != null) {
                scripted.close();
            }
            throw e;
        }
        System.out.println("Arena running at http://" + bind + ":" + app.port() + "/  (models: "
                + String.join(", ", app.service().modelNames()) + ")");
        System.out.println("Logs: " + Path.of(cfg.dataDir()).resolve("logs").toAbsolutePath()
                + "   database: " + app.service().store().describe());
        CountDownLatch stop = new CountDownLatch(1);
        ScriptedModelServer toClose = scripted;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                System.err.println("closing the Arena: " + e.getMessage());
            }
            if (toClose != null) {
                toClose.close();
            }
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
