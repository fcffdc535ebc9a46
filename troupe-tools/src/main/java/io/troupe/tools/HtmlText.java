package io.troupe.tools;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/** The readable text of an HTML page: its title, and its body as lines, without scripts, styles or markup. */
final class HtmlText {
    private static final Set<String> BLOCKS = Set.of(
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "table",
            "section",
            "article",
            "header",
            "footer",
            "nav",
            "main",
            "blockquote",
            "pre",
            "dt",
            "dd",
            "hr");

    private HtmlText() {}

    /** A page's title and text. */
    record Page(String title, String text) {}

    static Page of(String html, String baseUri) {
        Document document = Jsoup.parse(html, baseUri);
        document.select("script, style, noscript, template, svg, iframe, head").remove();
        StringBuilder text = new StringBuilder();
        NodeTraversor.traverse(
                new NodeVisitor() {
                    @Override
                    public void head(Node node, int depth) {
                        if (node instanceof TextNode textNode) {
                            text.append(textNode.text());
                        } else if (node instanceof Element element && BLOCKS.contains(element.normalName())) {
                            text.append('\n');
                        }
                    }

                    @Override
                    public void tail(Node node, int depth) {
                        if (node instanceof Element element && BLOCKS.contains(element.normalName())) {
                            text.append('\n');
                        }
                    }
                },
                document.body() == null ? document : document.body());
        String clean = text.toString()
                .replace('\u00a0', ' ')
                .replaceAll("[ \\t\\x0B\\f\\r]+", " ")
                .replaceAll(" *\\n *", "\n")
                .replaceAll("\\n{3,}", "\n\n")
                .strip();
        return new Page(Jsoup.parse(html).title(), clean);
    }
}
