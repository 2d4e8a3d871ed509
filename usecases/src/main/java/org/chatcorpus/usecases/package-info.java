/**
 * The use cases of section 4 of the LMSYS-Chat-1M paper and what Arena users do with the data, as
 * a library the CLI's verbs are thin shells over. One package per use case family:
 * {@code judge} (LLM judges: hard prompts, MT-bench, pseudo-labels, instruction-tuning subsets)
 * and {@code safety} (moderation benchmark, jailbreak statistics, safety benchmark). Every model
 * call goes through the {@code llm} module's client.
 */
package org.chatcorpus.usecases;
