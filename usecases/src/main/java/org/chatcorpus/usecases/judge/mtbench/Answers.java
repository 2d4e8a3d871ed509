package org.chatcorpus.usecases.judge.mtbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.text.Utf16;
import org.chatcorpus.llm.ModelCalls;
import org.chatcorpus.llm.ModelEndpoint;
import org.chatcorpus.usecases.judge.JudgeClient;

/**
 * The models' answers to the questions, as gen_api_answer.py makes them: every turn in order, each
 * asked with the earlier turns and answers in context, at the question's temperature. Written to
 * {@code model_answer/NAME.jsonl} in its layout ({@code question_id, answer_id, model_id,
 * choices: [{index, turns}]}); the answer_id is a hash of the answer rather than a random uuid, and
 * there is no tstamp, so the same answers give the same bytes.
 */
final class Answers {
    /** One model's answer to one question: its text per turn. */
    record Answer(String model, Question question, List<String> turns) {
    }

    /** A question a model could not answer, and why. */
    record Failure(String model, Question question, String error) {
    }

    record Result(Map<String, Map<String, Answer>> byModel, List<Failure> failures) {
    }

    private Answers() {
    }

    static Result generate(List<Question> questions, List<ModelEndpoint> models, JudgeClient client) {
        record Job(ModelEndpoint model, Question question) {
        }
        List<Job> jobs = new ArrayList<>();
        for (ModelEndpoint m : models) {
            for (Question q : questions) {
                jobs.add(new Job(m, q));
            }
        }
        List<ModelCalls.Outcome<Answer>> outcomes = client.map(jobs, "answers", job -> {
            List<Message> context = new ArrayList<>();
            List<String> turns = new ArrayList<>();
            for (String turn : job.question().turns()) {
                context.add(Message.user(turn));
                String answer = client.answer(job.model(), context, job.question().temperature()).text();
                context.add(Message.assistant(answer));
                turns.add(answer);
            }
            return new Answer(job.model().name(), job.question(), turns);
        });
        Map<String, Map<String, Answer>> byModel = new LinkedHashMap<>();
        models.forEach(m -> byModel.put(m.name(), new LinkedHashMap<>()));
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            ModelCalls.Outcome<Answer> o = outcomes.get(i);
            if (o.ok()) {
                byModel.get(job.model().name()).put(job.question().idText(), o.value());
            } else {
                failures.add(new Failure(job.model().name(), job.question(), o.error()));
            }
        }
        return new Result(byModel, failures);
    }

    /** Writes {@code dir/NAME.jsonl} per model, answers in question order. */
    static void write(Path dir, Result result, ObjectMapper json) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, Map<String, Answer>> e : result.byModel().entrySet()) {
            try (Writer w = Files.newBufferedWriter(dir.resolve(MtBench.fileName(e.getKey()) + ".jsonl"), StandardCharsets.UTF_8)) {
                for (Answer a : e.getValue().values()) {
                    ObjectNode n = json.createObjectNode();
                    n.set("question_id", a.question().id());
                    n.put("answer_id", answerId(a));
                    n.put("model_id", a.model());
                    ArrayNode turns = n.putArray("choices").addObject().put("index", 0).putArray("turns");
                    a.turns().forEach(turns::add);
                    w.write(Utf16.scrub(json.writeValueAsString(n)));
                    w.write('\n');
                }
            }
        }
    }

    private static String answerId(Answer a) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((a.model() + "\0" + a.question().idText()).getBytes(StandardCharsets.UTF_8));
            for (String t : a.turns()) {
                sha.update((byte) 0);
                sha.update(t.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
