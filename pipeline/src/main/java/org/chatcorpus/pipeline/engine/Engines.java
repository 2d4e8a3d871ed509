package org.chatcorpus.pipeline.engine;

import java.util.Optional;
import java.util.ServiceLoader;

/** Finds an {@link Engine} by name among those on the class path. */
public final class Engines {
    /** The engine every verb uses when none is named: the local runner, which is not an {@link Engine} provider. */
    public static final String LOCAL = "local";

    private Engines() {
    }

    /** The engine called {@code name}, if its module is on the class path. */
    public static Optional<Engine> find(String name) {
        for (Engine e : ServiceLoader.load(Engine.class, Engines.class.getClassLoader())) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
