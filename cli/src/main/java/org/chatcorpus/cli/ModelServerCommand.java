package org.chatcorpus.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.chatcorpus.server.modelserver.ScriptedModelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "model-server", mixinStandardHelpOptions = true,
        description = {"Serve scripted answers over the OpenAI chat completions protocol (streaming SSE) on loopback,",
                "for developing and load-testing the Arena without a real model. Any model name works;",
                "names starting with 'broken' fail with HTTP 500, names starting with 'slow' stream slowly."},
        footer = {"", "Example:", "  chatcorpus model-server --port 8001   # then base URL http://127.0.0.1:8001/v1"})
final class ModelServerCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8001", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        Flags.port(spec, "--port", port);
        ScriptedModelServer server = Ports.start("127.0.0.1", port, "--port", () -> ScriptedModelServer.start(port));
        System.out.println("Scripted model server at " + server.baseUrl());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
