package org.chatcorpus.core.io.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubPullTest {
    @TempDir
    Path dir;

    private HubPull pull(FakeHub hub, String token) {
        return new HubPull(new HubClient(hub.endpoint(), token), new HubCache(dir.resolve("hub")), 4);
    }

    @Test
    void aPullLaysOutTheCacheAsHuggingfaceHubDoesAndKeepsTheTokenFromTheCdn() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            HubPull.Result r = pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "main", List.of());
            Path repo = dir.resolve("hub/datasets--lmsys--lmsys-chat-1m");
            assertThat(r.snapshot()).isEqualTo(repo.resolve("snapshots/" + FakeHub.COMMIT));
            assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(FakeHub.COMMIT);
            assertThat(r.files()).isEqualTo(5);
            for (FakeHub.File f : hub.files.values()) {
                Path link = r.snapshot().resolve(f.path());
                assertThat(Files.isSymbolicLink(link)).as(f.path()).isTrue();
                assertThat(Files.readSymbolicLink(link).isAbsolute()).isFalse();
                assertThat(link.toRealPath()).isEqualTo(repo.resolve("blobs/" + f.etag()).toRealPath());
                assertThat(Files.readAllBytes(link)).isEqualTo(f.bytes());
            }
            assertThat(hub.tokenLeaks.get()).isZero();
        }
    }

    @Test
    void aSecondPullOfTheSameRevisionDownloadsNothing() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "main", List.of());
            int gets = hub.cdnGets.get();
            HubPull.Result again = pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "main", List.of());
            assertThat(again.downloaded()).isZero();
            assertThat(again.bytes()).isZero();
            assertThat(hub.cdnGets.get()).isEqualTo(gets);
        }
    }

    @Test
    void aConnectionCutMidFileResumesWithARangeRequest() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            String cut = "data/train-00001-of-00003.parquet";
            hub.cutOnce.add(cut);
            HubPull.Result r = pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "main", List.of());
            assertThat(hub.ranges).anySatisfy(x -> assertThat(x).startsWith(cut + " bytes=").doesNotEndWith("bytes=0-"));
            assertThat(Files.readAllBytes(r.snapshot().resolve(cut))).isEqualTo(hub.files.get(cut).bytes());
        }
    }

    @Test
    void aGatedRepositoryWithoutATokenTellsTheUserToAcceptTheTermsAndSetHfToken() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            assertThatThrownBy(() -> pull(hub, null).pull(FakeHub.REPO, "main", List.of()))
                    .isInstanceOf(HubException.class)
                    .hasMessageContaining("is gated")
                    .hasMessageContaining("accept the dataset's terms")
                    .hasMessageContaining("HF_TOKEN");
        }
    }

    @Test
    void aMissingRevisionNamesTheRepositoryAndStatus() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            assertThatThrownBy(() -> pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "v9", List.of()))
                    .isInstanceOf(HubException.class).hasMessageContaining(FakeHub.REPO + "@v9").hasMessageContaining("404");
        }
    }

    @Test
    void includeGlobsSelectFiles() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            HubPull.Result r = pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "main", List.of("data/*.parquet"));
            assertThat(r.files()).isEqualTo(3);
            assertThat(r.snapshot().resolve("README.md")).doesNotExist();
        }
    }

    @Test
    void theHashOfAResumedFileCoversTheBytesAnEarlierPullLeftOnDisk() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            String file = "data/train-00001-of-00003.parquet";
            FakeHub.File f = hub.files.get(file);
            Path blobs = dir.resolve("hub/datasets--lmsys--lmsys-chat-1m/blobs");
            Files.createDirectories(blobs);
            // Half of the file from an earlier pull, one byte of it damaged on disk since.
            byte[] half = java.util.Arrays.copyOf(f.bytes(), f.bytes().length / 2);
            half[10] ^= 1;
            Files.write(blobs.resolve(f.etag() + ".incomplete"), half);
            assertThatThrownBy(() -> pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "main", List.of(file)))
                    .isInstanceOf(HubException.class).hasMessageContaining("does not match");
            assertThat(hub.ranges).anySatisfy(x -> assertThat(x).isEqualTo(file + " bytes=" + half.length + "-"));
            assertThat(blobs.resolve(f.etag() + ".incomplete")).doesNotExist();
            // The next pull starts over and gets the right bytes.
            HubPull.Result r = pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "main", List.of(file));
            assertThat(Files.readAllBytes(r.snapshot().resolve(file))).isEqualTo(f.bytes());
        }
    }

    @Test
    void aFileWhoseSha256DoesNotMatchIsRejectedAndRemoved() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            String bad = "data/train-00002-of-00003.parquet";
            hub.corrupt.add(bad);
            assertThatThrownBy(() -> pull(hub, FakeHub.TOKEN).pull(FakeHub.REPO, "main", List.of()))
                    .isInstanceOf(HubException.class).hasMessageContaining("does not match");
            Path blobs = dir.resolve("hub/datasets--lmsys--lmsys-chat-1m/blobs");
            String etag = hub.files.get(bad).etag();
            assertThat(blobs.resolve(etag)).doesNotExist();
            assertThat(blobs.resolve(etag + ".incomplete")).doesNotExist();
        }
    }

    @Test
    void hfUrisResolveFromTheCacheAndPullWhenAbsent() throws Exception {
        try (FakeHub hub = new FakeHub()) {
            Map<String, String> env = Map.of("HF_HOME", dir.toString(), "HF_ENDPOINT", hub.endpoint(), "HF_TOKEN", FakeHub.TOKEN);
            Path file = HubInputs.resolve(HubUri.parse("hf://datasets/" + FakeHub.REPO + "/data/train-00000-of-00003.parquet"), env);
            assertThat(Files.readAllBytes(file)).isEqualTo(hub.files.get("data/train-00000-of-00003.parquet").bytes());
            int gets = hub.cdnGets.get();
            Path again = HubInputs.resolve(HubUri.parse("hf://datasets/" + FakeHub.REPO + "@main/data/train-00000-of-00003.parquet"), env);
            assertThat(again).isEqualTo(file);
            assertThat(hub.cdnGets.get()).isEqualTo(gets);
        }
    }

    @Test
    void theTokenComesFromTheFlagThenHfTokenThenTheTokenFile() throws Exception {
        Files.writeString(dir.resolve("token"), "hf_from_file\n");
        assertThat(HubClient.token("hf_flag", Map.of("HF_TOKEN", "hf_env"))).contains("hf_flag");
        assertThat(HubClient.token(null, Map.of("HF_TOKEN", "hf_env", "HF_HOME", dir.toString()))).contains("hf_env");
        assertThat(HubClient.token(null, Map.of("HF_HOME", dir.toString()))).contains("hf_from_file");
        assertThat(HubClient.token(null, Map.of("HF_HOME", dir.resolve("none").toString()))).isEmpty();
    }

    @Test
    void hubUrisParseOwnerNameRevisionAndPath() {
        assertThat(HubUri.parse("hf://datasets/lmsys/lmsys-chat-1m")).isEqualTo(new HubUri("lmsys/lmsys-chat-1m", "main", ""));
        assertThat(HubUri.parse("hf://datasets/lmsys/lmsys-chat-1m@refs%2Fconvert%2Fparquet/data"))
                .isEqualTo(new HubUri("lmsys/lmsys-chat-1m", "refs%2Fconvert%2Fparquet", "data"));
        assertThatThrownBy(() -> HubUri.parse("hf://models/x/y")).hasMessageContaining("only datasets");
        assertThatThrownBy(() -> HubUri.parse("hf://datasets/x")).hasMessageContaining("OWNER/NAME");
    }
}
