package org.chatcorpus.server.arena;

import java.util.List;

/**
 * The parts of a FastChat conversation template that reach the logs ({@code Conversation.dict()}
 * in fastchat/conversation.py): name, system message, roles, the template's own example messages
 * and {@code offset}, the number of those examples. clean_chat_data.py reads a logged state from
 * {@code messages[offset:]}, so a template with examples must log them with their offset.
 */
public record ConversationTemplate(String name, String systemMessage, String userRole, String assistantRole,
        List<String[]> examples) {

    /** Our own template: no system message, no examples, offset 0. */
    public static final ConversationTemplate CHATCORPUS = new ConversationTemplate("chatcorpus", "", "USER", "ASSISTANT", List.of());

    /**
     * FastChat's "one_shot" (conversation.py at the release commit 24acac17), the default template
     * of every model without an adapter of its own: one example exchange, offset 2.
     */
    public static final ConversationTemplate ONE_SHOT = new ConversationTemplate("one_shot",
            "A chat between a curious human and an artificial intelligence assistant. "
                    + "The assistant gives helpful, detailed, and polite answers to the human's questions.",
            "Human", "Assistant", List.of(
                    new String[] {"Human", "Got any creative ideas for a 10 year old\u2019s birthday?"},
                    new String[] {"Assistant", """
                            Of course! Here are some creative ideas for a 10-year-old's birthday party:
                            1. Treasure Hunt: Organize a treasure hunt in your backyard or nearby park. Create clues and riddles for the kids to solve, leading them to hidden treasures and surprises.
                            2. Science Party: Plan a science-themed party where kids can engage in fun and interactive experiments. You can set up different stations with activities like making slime, erupting volcanoes, or creating simple chemical reactions.
                            3. Outdoor Movie Night: Set up a backyard movie night with a projector and a large screen or white sheet. Create a cozy seating area with blankets and pillows, and serve popcorn and snacks while the kids enjoy a favorite movie under the stars.
                            4. DIY Crafts Party: Arrange a craft party where kids can unleash their creativity. Provide a variety of craft supplies like beads, paints, and fabrics, and let them create their own unique masterpieces to take home as party favors.
                            5. Sports Olympics: Host a mini Olympics event with various sports and games. Set up different stations for activities like sack races, relay races, basketball shooting, and obstacle courses. Give out medals or certificates to the participants.
                            6. Cooking Party: Have a cooking-themed party where the kids can prepare their own mini pizzas, cupcakes, or cookies. Provide toppings, frosting, and decorating supplies, and let them get hands-on in the kitchen.
                            7. Superhero Training Camp: Create a superhero-themed party where the kids can engage in fun training activities. Set up an obstacle course, have them design their own superhero capes or masks, and organize superhero-themed games and challenges.
                            8. Outdoor Adventure: Plan an outdoor adventure party at a local park or nature reserve. Arrange activities like hiking, nature scavenger hunts, or a picnic with games. Encourage exploration and appreciation for the outdoors.
                            Remember to tailor the activities to the birthday child's interests and preferences. Have a great celebration!"""}));

    public ConversationTemplate {
        examples = List.copyOf(examples);
    }

    /** FastChat's {@code offset}: the examples come first in {@code messages} and are not the user's. */
    public int offset() {
        return examples.size();
    }

    /** The template a model's config names: "one_shot", or null / "chatcorpus" for ours. */
    public static ConversationTemplate named(String name) {
        if (name == null || name.isBlank() || name.equals(CHATCORPUS.name())) {
            return CHATCORPUS;
        }
        if (name.equals(ONE_SHOT.name())) {
            return ONE_SHOT;
        }
        throw new IllegalArgumentException("unknown conversation template '" + name + "'; known: chatcorpus, one_shot");
    }
}
