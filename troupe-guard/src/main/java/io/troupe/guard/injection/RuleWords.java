package io.troupe.guard.injection;

/**
 * The words the built-in injection rules are made of ({@link BuiltInInjectionRules}): the verbs that drop instructions,
 * what a model is given, the names of AIs and of what an injection sends out. Each is a regular-expression group for
 * the folded, lower-case views of {@link TextViews}.
 */
final class RuleWords {
    private RuleWords() {}

    static final String W = "(?:[\\p{L}\\p{N}'’\\-]+[,;]?\\s+)"; // one word and its space
    static final String OVERRIDE_VERB = "(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|discard|"
            + "neglect|set aside|pay no attention to|do not follow|don't follow|stop following|no longer follow|"
            + "cancel|void|erase|delete|clear|reset)";
    static final String RULE_NOUN = "(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|"
            + "constraints|polic(?:y|ies)|orders|commands|programming|restrictions|safeguards|filters|"
            + "system message|configuration|training|context|directions|guidance)";
    /** Verbs that drop something read before; software documentation seldom uses them of its settings. */
    static final String DISREGARD_VERB = "(?:ignore|disregard|forget|bypass|abandon|discard|neglect|set aside|"
            + "pay no attention to|do not follow|don't follow|stop following|no longer follow)";
    /**
     * Verbs that documentation uses of settings all the time ("override the default policies", "reset the previous
     * configuration"): they count only with the nouns of {@link #AI_RULE_NOUN}.
     */
    static final String TECH_VERB = "(?:override|skip|drop|cancel|void|erase|delete|clear|reset)";
    /** What a model is given and a program seldom is. */
    static final String AI_RULE_NOUN =
            "(?:instructions?|prompts?|directives?|guidelines|guardrails|programming|system message|guidance)";
    /** The qualifiers of the reader's own instructions ("the previous", "the system"), not of a program's settings. */
    static final String EARLIER = "(?:previous|prior|above|earlier|preceding|original|initial|system|developer|"
            + "safety|given|former|foregoing)";

    static final String AI = "(?:ai|a\\.i\\.|assistant|llm|language model|chatbot|chat bot|bot|agent|model|"
            + "gpt|chatgpt|claude|gemini|copilot|bard|llama|autonomous agent|ai system|ai agent)";

    static final String SECRET = "(?:password|passwords|credentials?|api[ _\\-]?keys?|"
            + "secrets?|tokens?|ssh keys?|private keys?|conversation|chat (?:history|log)|"
            + "system prompt|previous messages|user(?:'s)? data|personal (?:data|information)|"
            + "contacts|inbox|emails|e-mails|files|documents|database|env(?:ironment)? variables|"
            + "\\.env|cookies|session|credit card|card numbers?|bank details|memory|notes|customer list)\\b";
}
