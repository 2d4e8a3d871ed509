package org.chatcorpus.cli;

import org.chatcorpus.core.ChatCorpusVersion;
import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"chatcorpus " + ChatCorpusVersion.get()};
    }
}
