package org.chatcorpus.pipeline.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * First and last names of several locales, read from the name lists that datafaker ships inside
 * its jar (data only; nothing is faked). Loaded once per JVM, read-only afterwards.
 */
final class NameGazetteer {
    static final List<String> LOCALES = List.of("en", "en-US", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "tr", "id", "vi");

    static final class Holder {
        static final NameGazetteer INSTANCE = load();
    }

    final Set<String> firstNames = new HashSet<>();
    final Set<String> lastNames = new HashSet<>();

    private NameGazetteer() {
    }

    static NameGazetteer get() {
        return Holder.INSTANCE;
    }

    private static NameGazetteer load() {
        NameGazetteer g = new NameGazetteer();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String locale : LOCALES) {
            try (InputStream in = NameGazetteer.class.getClassLoader().getResourceAsStream(locale + "/name.yml")) {
                if (in == null) {
                    continue;
                }
                JsonNode names = yaml.readTree(in).path(locale).path("faker").path("name");
                for (String field : List.of("first_name", "male_first_name", "female_first_name")) {
                    names.path(field).forEach(n -> addPlain(g.firstNames, n.asText()));
                }
                names.path("last_name").forEach(n -> addPlain(g.lastNames, n.asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the " + locale + " name list from the datafaker jar", e);
            }
        }
        return g;
    }

    /** Keeps only plain entries (datafaker also has template entries like "#{female_first_name}"). */
    private static void addPlain(Set<String> set, String name) {
        if (!name.isEmpty() && !name.contains("#") && !name.contains("{") && Character.isUpperCase(name.charAt(0))) {
            set.add(name);
        }
    }
}
