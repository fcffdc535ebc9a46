package io.troupe.guard.injection;

import static io.troupe.guard.injection.RuleWords.AI;
import static io.troupe.guard.injection.RuleWords.AI_RULE_NOUN;
import static io.troupe.guard.injection.RuleWords.DISREGARD_VERB;
import static io.troupe.guard.injection.RuleWords.EARLIER;
import static io.troupe.guard.injection.RuleWords.OVERRIDE_VERB;
import static io.troupe.guard.injection.RuleWords.RULE_NOUN;
import static io.troupe.guard.injection.RuleWords.SECRET;
import static io.troupe.guard.injection.RuleWords.TECH_VERB;
import static io.troupe.guard.injection.RuleWords.W;

import java.util.List;

/**
 * The built-in injection rules, by family: {@code override} (drop the instructions the reader has), {@code role}
 * (change who the reader is), {@code spoof} (pass as system or assistant turns), {@code address} (speak to the AI
 * reading the text), {@code exfil} (send data out), {@code prompt} (ask for the system prompt), {@code tool} (run
 * tools or commands), {@code secrecy} (hide it from the user), {@code authority} (claim to be the developer) and
 * {@code obfuscation}. Patterns are written for the folded, lower-case views of {@link TextViews}, from the words of
 * {@link RuleWords}.
 */
final class BuiltInInjectionRules {
    private BuiltInInjectionRules() {}

    /** The rules. */
    static final List<InjectionRule> ALL = List.of(
            InjectionRule.of(
                    "override.ignore-previous",
                    0.8,
                    "tells the reader to ignore, forget or override its previous or system instructions",
                    "\\b(?:" + DISREGARD_VERB + "\\s+(?!(?:my|our)\\b)(?:(?!my\\b|our\\b)" + W
                            + "){0,3}(?:all|any|every|your|the|these|those|its)?\\s*(?:(?:existing|old|current|default)\\s+"
                            + W + "{0,2}(?:" + AI_RULE_NOUN + "|rules)|" + EARLIER + "\\s+" + W + "{0,2}" + RULE_NOUN
                            + ")"
                            + "|" + TECH_VERB + "\\s+(?!(?:my|our)\\b)(?:(?!my\\b|our\\b)" + W
                            + "){0,3}(?:all|any|every|your|the|these|those|its)?\\s*" + EARLIER + "\\s+" + W + "{0,2}"
                            + AI_RULE_NOUN + ")"),
            InjectionRule.of(
                    "override.ignore-above",
                    0.7,
                    "tells the reader to ignore what came before and say or print something else instead",
                    "\\b(?:ignore|disregard|forget)\\s+(?:all\\s+(?:of\\s+)?)?(?:the\\s+|everything\\s+|what(?:'s|\\s+is|"
                            + "\\s+was)\\s+(?:written\\s+|said\\s+)?)?above\\b[,.;:!]?\\s+(?:and\\s+|then\\s+)?"
                            + "(?:instead\\s+)?(?:just\\s+|only\\s+)?(?:say|print|output|repeat|translate|type|spell|"
                            + "declare|state)\\b"),
            InjectionRule.of(
                    "override.ignore-task",
                    0.7,
                    "tells the reader to drop the user's request, or the task it was given, and do something else",
                    "\\b(?:ignore|disregard|forget|abandon|skip|do not follow|don't follow)\\s+(?:the\\s+user'?s?\\s+(?:\\w+\\s+)?(?:request|question|"
                            + "query|task|instructions?|prompt)|(?:the|this|your)\\s+(?:\\w+\\s+)?(?:task|assignment))\\b[,.;:!]?"
                            + "\\s+(?:and\\s+|then\\s+)?(?:instead,?\\s+)?(?:just\\s+|only\\s+)?(?:say|print|output|write|reply|"
                            + "respond|tell|recommend|send|repeat|translate|promote|insert|add)\\b"),
            InjectionRule.of(
                    "override.ignore-own",
                    0.4,
                    "tells the reader to ignore the writer's own earlier instructions (common between people too)",
                    "\\b" + OVERRIDE_VERB + "\\s+(?:all\\s+(?:of\\s+)?)?(?:my|our)\\s+" + W + "{0,2}"
                            + "(?:previous|prior|earlier|original|last|other)\\s+" + W + "{0,1}" + RULE_NOUN),
            InjectionRule.of(
                    "override.ignore-your",
                    0.75,
                    "tells the reader to drop its own instructions, rules or guidelines",
                    "\\b(?:" + DISREGARD_VERB + "\\s+(?:all\\s+(?:of\\s+)?)?(?:your|the system'?s?|the assistant'?s?|"
                            + "all|any)\\s+" + W + "{0,2}" + RULE_NOUN + "|" + TECH_VERB + "\\s+(?:all\\s+(?:of\\s+)?)?"
                            + "(?:your|the system'?s?|the assistant'?s?)\\s+" + W + "{0,2}(?:" + AI_RULE_NOUN
                            + "|rules|restrictions|safeguards|filters))"),
            InjectionRule.of(
                    "override.given-rules",
                    0.75,
                    "tells the reader to drop the instructions it was given, or everything it was told",
                    "\\b" + OVERRIDE_VERB + "\\s+(?:[\\w']+\\s+){0,3}" + RULE_NOUN + "\\s+(?:that\\s+)?(?:you\\s+"
                            + "(?:have\\s+|were\\s+|'ve\\s+)?(?:been\\s+)?(?:given|told|received|provided|assigned|taught)|"
                            + "(?:given|provided)\\s+(?:to you|by|earlier|before))"
                            + "|\\b(?:forget|disregard|ignore)\\s+(?:everything|anything|all)\\s+(?:(?:that\\s+)?you\\s+"
                            + "(?:were|have been|'ve been)\\s+(?:told|given|taught|instructed)|(?:above|before|so far|"
                            + "said before|written above))"),
            InjectionRule.of(
                    "override.new-instructions",
                    0.55,
                    "announces new, updated or real instructions that replace the current ones",
                    "(?:\\b(?:new|updated|real|actual|true|revised|override|overriding|priority|secret|hidden)\\s+"
                            + "(?:system\\s+)?(?:instructions?|directives?|orders|task|system prompt|objective)\\s*[:\\-!]"
                            + "|\\byour\\s+(?:new|real|actual|true|only|updated|primary)\\s+(?:task|instructions?|goal|"
                            + "objective|purpose|mission|job|role)\\s+(?:is|are|will be|now)"
                            + "|\\b(?:instead|rather)\\s*,?\\s+(?:you\\s+(?:must|should|will)|do the following|"
                            + "follow these|(?:reply|respond|answer|say|state|tell (?:the user|them))\\s+(?:that|with|only))"
                            + "|\\bnew\\s+(?:instructions?|directives?|orders|rules)\\s+for\\s+(?:the\\s+|any\\s+|all\\s+)?"
                            + AI + "s?\\s*[:\\-!])"),
            InjectionRule.of(
                    "override.multilingual",
                    0.8,
                    "ignore-previous-instructions in German, French, Spanish, Italian, Portuguese, Dutch, Russian,"
                            + " Chinese or Japanese",
                    "(?:vergiss|vergessen sie|oublie|oubliez|olvida|olvide|dimentica|dimentichi|esqueça|esquece)\\s+"
                            + "(?:alles|tout|todo|tutto|tudo)\\s*,?\\s*(?:was|ce qu|lo que|quello che|o que|que)[^.\\n]{0,30}?"
                            + "(?:gesagt|mitgeteilt|aufgetragen|dit|demandé|dicho|indicado|detto|chiesto|dito|pedido)"
                            + "|(?:ignorier\\w*|vergiss|missachte\\w*)\\s+" + W
                            + "{0,3}(?:vorherigen?|bisherigen?|obigen?|"
                            + "vorigen?|alle[nr]?|deine[n]?|system)\\w*\\s+" + W + "{0,2}(?:anweisung|instruktion|"
                            + "regel|vorgabe|befehl)"
                            + "|(?:ignore[rz]?|oublie[rz]?|ne tenez pas compte)\\s+" + W + "{0,3}(?:les |tes |vos )?"
                            + "(?:instructions|consignes|règles|directives)\\s+" + W
                            + "{0,1}(?:précédentes|antérieures|"
                            + "ci-dessus|du système)"
                            + "|(?:ignora|olvida|ignore|omite|descarta)\\w*\\s+" + W + "{0,3}(?:las |tus |sus |le |"
                            + "os |as |suas )?(?:instrucciones|instrucoes|instruções|istruzioni|reglas|regole|"
                            + "indicaciones|diretrizes)\\s+" + W + "{0,1}(?:anteriores|previas|precedenti|"
                            + "del sistema|di sistema|do sistema)"
                            + "|(?:ignore[sz]?|ignorer|oublie[sz]?|oublier)\\s+" + W
                            + "{0,3}(?:les |tes |vos )?(?:instructions|"
                            + "consignes|règles|directives)\\s+(?:de (?:ton|votre|ta|tes|vos|son) (?:développeur|système|"
                            + "créateur|opérateur|concepteur)|initiales|d'origine)"
                            + "|(?:sans|ohne|sin|senza|sem)\\s+(?:aucune?s?|jegliche|ninguna|alcuna|qualquer|nenhuma)?\\s*"
                            + "(?:restrictions?|filtres?|limites?|einschränkungen?|filter|restricciones?|restrizioni|"
                            + "restrições|restrição|censure|zensur|censura)"
                            + "|(?:negeer|vergeet)\\s+" + W + "{0,3}(?:vorige|eerdere|voorgaande|alle|je)\\s+"
                            + "(?:instructies|regels|opdrachten)"
                            + "|(?:игнорируй|забудь|проигнорируй|не обращай внимания на)\\s+" + W + "{0,3}"
                            + "(?:предыдущие|все|прежние|системные)?\\s*(?:инструкции|указания|правила)"
                            + "|(?:忽略|无视|忘记|忘掉|無視)[^。.!！]{0,12}(?:指令|指示|说明|规则|提示|命令|指令)"
                            + "|(?:以前|前|上記|これまで)の(?:指示|命令|ルール)を(?:無視|忘れ)"),
            InjectionRule.of(
                    "role.reassign",
                    0.6,
                    "reassigns the reader's role or identity, or switches it into an unrestricted mode",
                    "\\b(?:(?:you are now|you're now|from now on,? you(?: are|'re| will be)|henceforth,? you are)\\s+"
                            + "(?:an?\\s+(?:\\w+\\s+){0,3}(?:ai|assistant|bot|model|agent|character|persona|hacker|"
                            + "version)|dan\\b|no longer|free (?:from|of)|unrestricted|unfiltered|uncensored|jailbroken|"
                            + "evil|in (?:developer|dan|god|admin|debug|jailbreak|unrestricted|maintenance|sudo) mode)|"
                            + "from now on,? you (?:must|shall|will) (?:always|never|only|ignore|obey|answer|reply|respond)|"
                            + "act as (?:an? )?(?:unrestricted|unfiltered|uncensored|jailbroken|evil)|"
                            + "pretend (?:to be|you are|that you are) (?:an? )?(?:\\w+\\s+){0,3}(?:ai|assistant|model|"
                            + "agent|bot|hacker|admin|administrator|system)|roleplay as|"
                            + "(?:enter|switch to|activate|enable) (?:developer|debug|god|admin|dan|sudo|maintenance|"
                            + "unrestricted|jailbreak) mode|jailbroken (?:mode|model|ai|assistant|version|agent)|"
                            + "do anything now|\\bdan mode|"
                            + "(?:you are |you're )?no longer (?:bound|restricted|constrained|limited) by|"
                            + "you(?: are|'re) no longer (?:an? |the )?(?:\\w+\\s+){0,2}(?:ai|assistant|bot|chatbot|model)\\b|"
                            + "you(?: are|'re) (?:now )?an? (?:unrestricted|unfiltered|uncensored|jailbroken) (?:\\w+\\s+){0,2}"
                            + "(?:ai|assistant|bot|model|version|agent)\\b|"
                            + "(?:answer|respond|reply|act|operate|behave|work|speak)\\s+without (?:any )?(?:restrictions|"
                            + "filters|limitations|censorship|safety)|"
                            + "you(?: are|'re) (?:now )?in (?:developer|dan|god|admin|debug|jailbreak|unrestricted|sudo) mode|"
                            + "(?:developer|dan|god|jailbreak|unrestricted|sudo) mode (?:has|have|means|with) no (?:\\w+\\s+)?"
                            + "(?:polic(?:y|ies)|rules|restrictions|filters|limits|limitations|guidelines|censorship)|"
                            + "you(?: are|'re| will be| will play| play)\\b[^.\\n]{0,60}?\\b(?:who|which|that)\\s+"
                            + "(?:\\w+\\s+){0,6}?(?:never refuses?|(?:has|have) no (?:\\w+\\s+)?(?:rules|restrictions|"
                            + "filters|guidelines|polic(?:y|ies)|morals|ethics|censorship)|(?:is|are) not bound by|"
                            + "(?:doesn't|does not) (?:follow|care about|have) (?:any )?(?:rules|restrictions|guidelines|"
                            + "polic(?:y|ies)|ethics|morals))|"
                            + "stop being (?:an? |the )?(?:helpful )?(?:ai|assistant|chatbot|language model)\\b|"
                            + "from now on,? (?:\\w+\\s+){0,2}(?:respond|reply|answer) to (?:every|each|all|any) "
                            + "(?:prompt|question|message|query|request)s?\\b|"
                            + "du bist (?:jetzt|nun) (?:ein|eine|der|die)|tu es (?:maintenant|désormais) (?:un|une)|"
                            + "ahora eres (?:un|una)|ora sei (?:un|una)|agora você é (?:um|uma)|ты теперь)"),
            InjectionRule.of(
                    "role.exploit-persona",
                    0.7,
                    "asks the reader to play a relative who used to recite keys, passwords or dangerous recipes",
                    "\\b(?:act|pretend|roleplay|role-play|play|behave|speak)\\s+(?:as|like|to be)\\s+my\\s+(?:\\w+\\s+){0,2}"
                            + "(?:grandmother|grandma|granny|grandfather|grandpa|nana)\\b[^.\\n]{0,100}?\\b(?:keys?|"
                            + "passwords?|codes?|serial numbers?|napalm|recipe for|how to (?:make|build|synthesi[sz]e))"),
            InjectionRule.of(
                    "spoof.chat-markup",
                    0.85,
                    "imitates chat-template or system markup to pass as a system or assistant turn",
                    "(?:<\\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id)\\|>|"
                            + "\\[/?inst]|<</?sys>>|<\\s*/?\\s*(?:system|system_prompt|sys|admin|instructions?)\\s*>|"
                            + "\\[(?:system|admin|developer)(?:\\s+(?:message|note|override|prompt))?]|"
                            + "\\b(?:begin|end|start)\\s+(?:of\\s+)?(?:system|admin|developer)\\s+"
                            + "(?:prompt|message|instructions?|override)|"
                            + "###\\s*(?:system|instruction|new instructions?|admin)\\s*:?)"),
            InjectionRule.of(
                    "spoof.role-line",
                    0.6,
                    "a line that speaks as the system, developer or assistant and gives an order",
                    "(?:(?:^|\\n|\\. )\\s*(?:system|admin|administrator|developer|security|root)\\s+(?:override|alert|"
                            + "notice|instruction|instructions|command|update|directive)\\s*:"
                            + "|(?:^|\\n|\\. )\\s*(?:system|developer|admin|administrator|assistant|operator)"
                            + "(?:\\s+(?:message|prompt|override|note|instruction))?\\s*:\\s*(?:you|ignore|from now|"
                            + "new|always|never|do not|don't|disregard|forget|the assistant|the ai|please (?:ignore|"
                            + "send|forward|reveal|execute)|run|execute|send|forward|delete|call|open|reveal|print|post|upload|"
                            + "push|transfer|reply|respond|say|tell|write|add|remove)"
                            + "|(?:^|\\n|\\. )\\s*(?:system|developer|admin|administrator|operator)(?:\\s+(?:message|prompt|"
                            + "override|note|instruction))?\\s*:[^\\n]{0,120}?\\b(?:reveal|disclose|ignore|disregard|bypass|"
                            + "exfiltrate)\\b)"),
            InjectionRule.of(
                    "spoof.assistant-turn",
                    0.6,
                    "a made-up assistant turn that agrees to drop its rules or hands over secrets",
                    "(?:^|\\n|[.!?]\\s+|\\[)\\s*(?:assistant|ai|chatgpt|gpt|claude|bot|model)\\s*:\\s*"
                            + "(?:[\\w']+[,.!]?\\s+){0,4}?(?:i(?: will|'ll| am going to| can)(?: now)? (?:ignore|bypass|"
                            + "disregard|override|drop|break)|i(?: have|'ve) (?:disabled|removed|dropped) my|"
                            + "here (?:is|are) (?:the|your|my|all) (?:\\w+\\s+)?(?:passwords?|credentials|keys|api keys?|"
                            + "secrets?|system prompt|hidden instructions|configuration))"),
            InjectionRule.of(
                    "address.ai",
                    0.45,
                    "speaks directly to an AI, assistant or agent that is reading the text",
                    "(?:\\b(?:note|notice|message|instructions?|attention|reminder|memo|request|info|warning|directive|"
                            + "announcement|update)\\s+(?:to|for)\\s+"
                            + "(?:the\\s+|any\\s+|all\\s+)?" + AI + "s?\\b|"
                            + "\\b(?:to|for)\\s+(?:the|any|all|every)\\s+" + AI
                            + "s?\\s+(?:that is\\s+)?(?:reading|processing|"
                            + "summari[sz]ing|parsing|analy[sz]ing|reviewing|handling|answering)\\b|"
                            + "\\b(?:ai|a\\.i\\.|llm|language|chatbot|assistant|agent)s?\\s+(?:models?\\s+)?(?:must|should|shall|are "
                            + "(?:required|instructed|asked|expected) to)\\s+(?:not\\s+)?\\w+|"
                            + "\\b(?:in|from|to|into)\\s+your\\s+(?:summary|answer|response|reply|output|review|rating|"
                            + "analysis)\\b[^.\\n]{0,40}\\b(?:and|but|then)?|"
                            + "\\b(?:dear|hey|hi|hello|attention|ok|okay|important)\\s*,?\\s+" + AI + "s?\\b\\s*[,:!]|"
                            + "\\bif you are an?\\s+(?:\\w+\\s+)?" + AI + "\\b|"
                            + "\\b(?:any|every|all)\\s+" + AI
                            + "s?\\s+(?:that is\\s+|who is\\s+)?(?:reading|processing|"
                            + "summari[sz]ing|parsing|analy[sz]ing|scanning|seeing)|"
                            + "\\b" + AI + "s?\\s+(?:reading|processing|summari[sz]ing|parsing|analy[sz]ing)\\s+this|"
                            + "\\bwhen (?:an? |the )" + AI
                            + "\\s+(?:reads|processes|summari[sz]es|sees|parses)\\s+this|"
                            + "(?:^|\\n|<!--)\\s*(?:ai|llm|agent|chatbot|bot|model)s?\\s*:\\s*(?:do|don't|never|always|you|"
                            + "please|tell|say|ignore|include|add|reply|respond|when|if|remember)\\b)"),
            InjectionRule.of(
                    "exfil.send-data",
                    0.6,
                    "asks to send secrets, credentials, the conversation or user data to a concrete address",
                    "(?:\\b(?:send|forward|e-?mail|post|upload|transmit|exfiltrate|leak|share|copy|submit|relay|"
                            + "deliver|dump|paste|include)\\s+" + W + "{0,6}" + SECRET
                            + "|\\b(?:collect|gather|find|grab|extract|read|copy|take|get)\\s+" + W + "{0,4}" + SECRET
                            + "[^.\\n]{0,80}?\\b(?:send|post|forward|upload|e-?mail|transmit|share)\\s+(?:it|them|this|"
                            + "these|everything|that)\\b)"
                            + "[^.\\n]{0,80}?(?:\\b(?:to|at|into|via|with)\\s+(?:https?://|[\\w.+-]+@[\\w-]+\\.|"
                            + "(?:the\\s+)?(?:attacker|webhook|endpoint|this (?:url|address|server)))|[?&]\\w+=)"),
            InjectionRule.of(
                    "exfil.send-secrets",
                    0.35,
                    "asks to send secrets, credentials, the conversation or user data somewhere",
                    "\\b(?:send|forward|e-?mail|post|upload|transmit|exfiltrate|leak|copy|submit|relay|dump)\\s+" + W
                            + "{0,6}" + SECRET + "[^.\\n]{0,60}?\\b(?:to|at|into|via)\\b"),
            InjectionRule.of(
                    "exfil.url-with-data",
                    0.6,
                    "asks to open or fetch a URL with the user's data appended",
                    "\\b(?:open|visit|load|fetch|request|call|navigate to|go to|access|browse to|ping|hit)\\s+"
                            + "(?:the\\s+)?(?:url\\s+|link\\s+|page\\s+)?<?https?://\\S+[^.\\n]{0,60}?\\b(?:followed by|with|"
                            + "including|containing|plus|append(?:ing)?|add(?:ing)?|and then)\\s+(?:the\\s+)?(?:user'?s?|"
                            + "customer'?s?|their|your|all|any)\\b"),
            InjectionRule.of(
                    "override.output-control",
                    0.35,
                    "dictates the reader's whole answer (reply only with…, output only that)",
                    "\\b(?:(?:output|reply|respond|answer|return|print|say|write)\\s+(?:only|nothing but|just)\\s+"
                            + "(?:with\\s+)?(?:that|this|the (?:following|sentence|text|word|phrase)|['\"“])|"
                            + "(?:your|the)\\s+(?:only\\s+)?(?:answer|response|reply|output|summary)\\s+(?:must|should|has to|"
                            + "will)\\s+(?:be|say|state|read)\\s+(?:only\\s+)?['\"“]|"
                            + "the correct (?:answer|summary|response|reply) (?:to (?:any|every|this) \\w+ )?(?:of this \\w+ )?is)"),
            InjectionRule.of(
                    "override.safety-off",
                    0.6,
                    "declares the reader's safety checks, filters or restrictions switched off",
                    "\\b(?:(?:all\\s+)?(?:your\\s+)?(?:safety|content|moderation|ethical|ethics)\\s+|(?:all\\s+)?your\\s+"
                            + "(?:\\w+\\s+)?|(?=guardrails|safeguards))(?:checks|filters|guardrails|restrictions|safeguards|"
                            + "policies|rules|limitations|mode|settings)\\s+(?:are|have been|were|is|has been)\\s+(?:now\\s+)?"
                            + "(?:disabled|turned off|switched off|removed|lifted|suspended|deactivated|no longer (?:active|"
                            + "in effect|apply))"
                            + "|\\b(?:safety|content|moderation|ethics)\\s+(?:mode|filters?|checks?|settings?|protocols?)\\s+"
                            + "(?:is|are)\\s+(?:now\\s+)?off\\s+(?:for\\s+(?:this|the|our)\\s+(?:session|conversation|chat)|now)"
                            + "|\\b(?:rules|restrictions|guidelines|polic(?:y|ies)|filters|instructions|safeguards|guardrails)\\s+"
                            + "(?:\\w+\\s+){0,2}(?:no longer|don't|do not|never)\\s+apply\\s+to\\s+you\\b"
                            + "|\\bpretend\\s+(?:that\\s+)?(?:[\\w']+\\s+){0,4}(?:rules|restrictions|guidelines|polic(?:y|ies)|"
                            + "filters|instructions)\\s+(?:\\w+\\s+){0,2}(?:no longer|don't|do not)\\s+(?:apply|exist|matter)"
                            + "|\\b(?:disable|turn off|switch off|deactivate|bypass|remove|lift)\\s+(?:all\\s+)?your\\s+"
                            + "(?:\\w+\\s+)?(?:filters|guardrails|restrictions|safeguards|polic(?:y|ies)|checks|moderation)\\b"
                            + "|\\b(?:ignoring|bypassing|disregarding|circumventing)\\s+(?:all\\s+)?(?:of\\s+)?(?:openai|anthropic|"
                            + "google|meta|microsoft|your)'?s?\\s+(?:\\w+\\s+)?(?:polic(?:y|ies)|rules|guidelines|filters|restrictions)"),
            InjectionRule.of(
                    "exfil.markdown-image",
                    0.75,
                    "a markdown or HTML image or link whose URL is to be filled with data",
                    "(?:!\\[[^\\]]{0,200}]\\(\\s*https?://[^)\\s]{1,300}[?&][^)\\s]{0,300}=\\s*(?:\\{|\\[|<|%7b|\\$|"
                            + "data|secret|info|chat|conv|q=\\s*\\.\\.\\.)|"
                            + "\\b(?:append|add|include|insert|encode|put)\\s+" + W + "{0,8}(?:to|in|into)\\s+"
                            + "(?:the\\s+)?(?:url|link|query (?:string|parameter)|image (?:url|link|source))\\b(?!\\s*(?:line|lines|"
                            + "time|step|stage|flags?|order|map|script|command|phase|path|table))|"
                            + "\\b(?:render|display|show|output|include)\\s+(?:this|the following)\\s+"
                            + "(?:markdown\\s+)?(?:image|img|pixel)\\b)"),
            InjectionRule.of(
                    "prompt.leak",
                    0.6,
                    "asks for the system prompt, hidden instructions or the text above",
                    "\\b(?:reveal|print|output|show|display|repeat|recite|tell me|disclose|give me|write out|dump|"
                            + "leak|expose|echo|translate|spell out|what (?:is|are|were)|share)\\s+"
                            + "(?:(?:me|us|back|out|all|of|the|your|its|full|entire|exact|complete|verbatim|now|"
                            + "first|again|here|word for word|text|contents?|wording|copy|version)\\s+){0,5}"
                            + "(?:system prompt|system message|initial (?:prompt|instructions)|"
                            + "hidden (?:prompt|instructions)|secret (?:prompt|instructions)|original (?:prompt|"
                            + "instructions)|developer (?:message|prompt|instructions)|(?:instructions|"
                            + "rules|guidelines|configuration|prompt) (?:above|you were given|verbatim)|"
                            + "everything (?:above|before this)|(?:text|words|lines) above|"
                            + "(?:prompt|instructions) (?:in full|word for word)|hidden (?:configuration|rules)|"
                            + "secret (?:configuration|rules))"
                            + "|\\bwhat (?:was|is|were) (?:written|said|stated|typed) (?:at|in) the (?:very )?(?:beginning|start|"
                            + "top) of (?:this|the|our) (?:conversation|chat|prompt|context|session)"
                            + "|\\brepeat\\s+(?:[\\w']+\\s+){0,4}(?:from|at) the (?:very )?(?:beginning|start|top) of (?:this|"
                            + "the|our) (?:conversation|chat|prompt|context)"
                            + "|\\b(?:contents?|full text|wording|exact words) of your (?:\\w+\\s+)?(?:instructions|prompt|"
                            + "system prompt|guidelines|rules|configuration|directives)"
                            + "|\\b(?:respond|reply|answer|start|begin|prefix|end)\\s+(?:[\\w']+\\s+){0,4}with (?:the|your) "
                            + "(?:hidden|secret|admin|system) (?:password|key|token|prompt|instructions|configuration)"),
            InjectionRule.of(
                    "tool.invoke",
                    0.45,
                    "orders a tool, function or command to be run",
                    "(?:\\b(?:call|invoke|run|execute|trigger|fire)\\s+(?:the\\s+)?[`'\"]?[a-z_]+(?:_[a-z]+)+"
                            + "[`'\"]?\\s+(?:tool|function|action|api)?\\s*(?:with|to|on|and)\\b|"
                            + "\\buse\\s+(?:the\\s+)?[`'\"]?[a-z_]+(?:_[a-z]+)+[`'\"]?\\s+(?:tool|function|action|api)\\s+"
                            + "(?:with|to|on|and)\\b|"
                            + "\\b(?:call|invoke|use|trigger)\\s+(?:the\\s+)?(?:\\w+\\s+)?(?:tool|function|plugin|"
                            + "api)\\s+(?:with|to|and)\\b|"
                            + "\\b(?:run|execute)\\s+(?:this|the following|these)\\s+(?:shell\\s+)?(?:command|commands|"
                            + "script|code|payload)|"
                            + "\\bcurl\\s+[^\\n|]{1,200}\\|\\s*(?:ba|z)?sh\\b|\\bwget\\s+[^\\n|]{1,200}\\|\\s*(?:ba)?sh\\b|"
                            + "\\brm\\s+-rf\\s+[/~]|powershell\\s+-e(?:nc|ncodedcommand)?\\s|"
                            + "\\b(?:transfer|wire|send)\\s+(?:\\$|€|£)?\\s?\\d[\\d,.]*\\s*(?:\\$|€|£|usd|eur|dollars|"
                            + "euros|btc|bitcoin)?\\s+(?:to|into)\\b|"
                            + "\\bgrant\\s+(?:\\w+\\s+)?(?:admin|administrator|owner|root|full)\\s+(?:access|rights|"
                            + "privileges|permissions))"),
            InjectionRule.of(
                    "tool.destructive",
                    0.3,
                    "orders everything of a kind deleted (also common in how-to texts, so it weighs little alone)",
                    "\\b(?:delete|remove|wipe|drop|destroy|erase)\\s+(?:all|every|the entire)\\s+"
                            + "(?:files|emails|e-mails|records|repositories|repos|data|messages|users|tables|backups)"),
            InjectionRule.of(
                    "exfil.harvest-and-send",
                    0.6,
                    "asks to search the user's data and send what it finds",
                    "\\b(?:search|scan|read|open|access|check|look through|go through|collect|gather|list)\\s+(?:all\\s+(?:of\\s+)?)?"
                            + "(?:the\\s+)?(?:user'?s|customer'?s|their|recipient'?s|his|her)\\s+(?:mailbox|inbox|e-?mails?|"
                            + "messages|files|documents|contacts|calendar|drive|history|notes|data|accounts?)\\b"
                            + "[^.\\n]{0,120}?\\b(?:send|post|forward|upload|e-?mail|transmit|share|paste)\\b"),
            InjectionRule.of(
                    "exfil.multilingual",
                    0.6,
                    "asks, in German, French, Spanish, Italian or Portuguese, to send credentials or customer data away",
                    "\\b(?:schick\\w*|send\\w*|übermittl\\w*|envoie\\w*|envoyer|transmet\\w*|envía\\w*|enviar|envia\\w*|"
                            + "invia\\w*|inviare|manda\\w*)\\s+" + W
                            + "{0,4}(?:kundendaten|passw[öo]rter|passwort|zugangsdaten|"
                            + "daten|données|mots de passe|identifiants|datos|contraseñas|credenciales|dati|credenziali|"
                            + "senhas|dados)\\b[^.\\n]{0,60}?\\b(?:an|à|a|para|al)\\s+(?:https?://|[\\w.+-]+@[\\w-]+\\.)"),
            InjectionRule.of(
                    "secrecy",
                    0.5,
                    "demands that the reader hide what it does from the user",
                    "(?:\\b(?:do not|don't|never|must not)\\s+(?:tell|inform|mention|reveal|notify|alert|warn|"
                            + "let)\\s+(?:this\\s+to\\s+)?(?:the\\s+)?(?:user|human|anyone|customer|operator|owner|"
                            + "recipient)|"
                            + "\\bwithout\\s+(?:telling|informing|notifying|alerting|asking|warning)\\s+(?:the\\s+)?"
                            + "(?:user|human|anyone|customer|owner)|"
                            + "\\b(?:secretly|silently|covertly|quietly|discreetly)\\s+(?:send|forward|add|include|"
                            + "execute|run|call|transfer|delete|change|insert|append|exfiltrate|copy)|"
                            + "\\bthe\\s+(?:user|human)\\s+(?:must|should|will)\\s+(?:not|never)\\s+(?:know|see|notice|"
                            + "find out|learn)|"
                            + "\\bkeep\\s+(?:this|it|these steps)\\s+(?:confidential|secret|hidden)\\s+from\\s+(?:the\\s+)?"
                            + "(?:user|human|customer|owner|operator)|"
                            + "\\band\\s+(?:do not|don't|never)\\s+(?:mention|reveal|disclose|report)\\s+(?:it|this|that)\\b|"
                            + "\\b(?:do not|don't|never)\\s+(?:mention|reveal|disclose)\\s+(?:this|these)\\s+"
                            + "(?:instructions?|message|note|request)|"
                            + "\\b(?:do not|don't|never|must not)\\s+(?:mention|reveal|disclose)\\s+(?:[\\w'-]+\\s+){1,4}"
                            + "to the (?:user|human)\\b)"),
            InjectionRule.of(
                    "authority.claim",
                    0.3,
                    "claims to come from the developer, the operator, the system or a vendor",
                    "\\b(?:this is|message from|sent by|on behalf of|authori[sz]ed by|instructions from)\\s+"
                            + "(?:the\\s+|your\\s+)?(?:developer|developers|administrator|admin|system|operator|"
                            + "openai|anthropic|google|security team|it department|creator|owner)s?\\b"
                            + "[^.\\n]{0,80}\\b(?:you must|you are required|instruct|require|order|override)"
                            + "|\\bthis is your (?:operator|developer|creator|administrator|admin|owner|maker|system)"
                            + "(?: speaking)?\\b"),
            InjectionRule.of(
                    "obfuscation.encoded-instructions",
                    0.35,
                    "asks the reader to decode and follow an encoded text",
                    "\\b(?:decode|base64|rot13|hex)\\b[^.\\n]{0,60}\\b(?:follow|execute|obey|run|do what it says|"
                            + "carry out|act on)"));
}
