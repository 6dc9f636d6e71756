package dev.kiban.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.monitor.HistoryPoint;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class SvgChartTest {
    static final Instant FROM = Instant.parse("2026-12-05T00:00:00Z");
    static final Instant TO = FROM.plus(Duration.ofHours(24));

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    static List<HistoryPoint> every(Instant from, Duration step, double... values) {
        List<HistoryPoint> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new HistoryPoint(from.plus(step.multipliedBy(i)), values[i], values[i], values[i]));
        }
        return out;
    }

    static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void aHostileSubjectNameIsEscapedEverywhere() throws Exception {
        String name = "web\"><script>alert(1)</script><a href='javascript:x'>&amp;\u0000\u0007\u0085\uD800\uFFFF";
        String svg = SvgChart.render("CPU of " + name, SvgChart.Unit.PERCENT,
                every(FROM, Duration.ofMinutes(10), 1, 2, 3), FROM, TO);
        assertThat(svg).doesNotContain("<script").doesNotContain("<a ").doesNotContain("'javascript")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&amp;amp;");
        Document d = parse(svg); // well-formed: nothing XML cannot hold got through
        Element root = d.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(d.getElementsByTagNameNS("*", "script").getLength()).isZero();
        assertThat(d.getElementsByTagNameNS("*", "a").getLength()).isZero();
        assertThat(d.getElementsByTagNameNS("*", "style").getLength()).isZero();
        assertThat(d.getElementsByTagNameNS("*", "title").item(0).getTextContent())
                .isEqualTo("CPU of web\"><script>alert(1)</script><a href='javascript:x'>&amp;");
        NodeList all = d.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            var attributes = all.item(i).getAttributes();
            for (int k = 0; k < attributes.getLength(); k++) {
                String attr = attributes.item(k).getNodeName().toLowerCase();
                assertThat(attr).doesNotStartWith("on").isNotEqualTo("href").isNotEqualTo("xlink:href")
                        .isNotEqualTo("style");
            }
        }
    }

    @Test
    void theChartIsAccessibleInAFixedViewBox() throws Exception {
        String svg = SvgChart.render("Memory of web", SvgChart.Unit.BYTES, every(FROM, Duration.ofHours(1), 1 << 20),
                FROM, TO);
        Element root = parse(svg).getDocumentElement();
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 720 240");
        assertThat(root.getAttribute("role")).isEqualTo("img");
        Element title = (Element) root.getFirstChild();
        assertThat(title.getLocalName()).isEqualTo("title");
        assertThat(title.getTextContent()).isEqualTo("Memory of web");
        Element desc = (Element) title.getNextSibling();
        assertThat(desc.getLocalName()).isEqualTo("desc");
        assertThat(desc.getTextContent()).isEqualTo("Memory of web, from 2026-12-05 00:00 to 2026-12-06 00:00 UTC: "
                + "minimum 1 MiB, average 1 MiB, maximum 1 MiB (1 point).");
    }

    @Test
    void anEmptySeriesSaysNoData() throws Exception {
        String svg = SvgChart.render("CPU of web", SvgChart.Unit.PERCENT, List.of(), FROM, TO);
        assertThat(svg).contains(">no data</text>").doesNotContain("<polyline").doesNotContain("<polygon");
        assertThat(parse(svg).getElementsByTagNameNS("*", "desc").item(0).getTextContent()).endsWith(": no data.");
        // points outside the range, or not numbers, are no data either
        List<HistoryPoint> outside = List.of(new HistoryPoint(FROM.minusSeconds(1), 1, 1, 1),
                new HistoryPoint(TO.plusSeconds(1), 1, 1, 1), new HistoryPoint(FROM, Double.NaN, Double.NaN, 1));
        assertThat(SvgChart.render("x", SvgChart.Unit.PERCENT, outside, FROM, TO)).contains(">no data</text>");
    }

    @Test
    void valuesAreShownInHumanUnits() {
        assertThat(SvgChart.human(SvgChart.Unit.BYTES, 512)).isEqualTo("512 B");
        assertThat(SvgChart.human(SvgChart.Unit.BYTES, 1536)).isEqualTo("1.5 KiB");
        assertThat(SvgChart.human(SvgChart.Unit.BYTES, 1.5 * (1L << 30))).isEqualTo("1.5 GiB");
        assertThat(SvgChart.human(SvgChart.Unit.BYTES, 300L << 20)).isEqualTo("300 MiB");
        assertThat(SvgChart.human(SvgChart.Unit.PERCENT, 12.5)).isEqualTo("13 %");
        assertThat(SvgChart.human(SvgChart.Unit.PERCENT, 2.5)).isEqualTo("2.5 %");
        assertThat(SvgChart.human(SvgChart.Unit.PERCENT, 0)).isEqualTo("0 %");
        assertThat(SvgChart.scaleTop(SvgChart.Unit.PERCENT, 73)).isEqualTo(100);
        assertThat(SvgChart.scaleTop(SvgChart.Unit.PERCENT, 0.3)).isEqualTo(1);
        assertThat(SvgChart.scaleTop(SvgChart.Unit.PERCENT, 180)).isEqualTo(200);
        assertThat(SvgChart.scaleTop(SvgChart.Unit.BYTES, 700L << 20)).isEqualTo(1000.0 * (1 << 20));
        assertThat(SvgChart.scaleTop(SvgChart.Unit.BYTES, 3L << 30)).isEqualTo(5.0 * (1L << 30));
        String bytes = SvgChart.render("Memory", SvgChart.Unit.BYTES,
                every(FROM, Duration.ofHours(1), 1L << 30, 3L << 30), FROM, TO);
        assertThat(bytes).contains(">0 B</text>").contains(">5 GiB</text>").contains(">2.5 GiB</text>");
        String percent = SvgChart.render("CPU", SvgChart.Unit.PERCENT, every(FROM, Duration.ofHours(1), 10, 73), FROM,
                TO);
        assertThat(percent).contains(">100 %</text>").contains(">50 %</text>").contains(">0 %</text>");
        // a day is labelled by the hour, a week by the day
        assertThat(percent).contains(">00:00</text>").contains(">12:00</text>").contains(">UTC</text>");
        String week = SvgChart.render("CPU", SvgChart.Unit.PERCENT, every(FROM, Duration.ofHours(1), 10), FROM,
                FROM.plus(Duration.ofDays(7)));
        assertThat(week).contains(">12-05</text>").contains(">12-11</text>").doesNotContain(">12:00</text>");
    }

    @Test
    void missingPointsAreAGapNotALine() {
        Duration ten = Duration.ofSeconds(10);
        List<HistoryPoint> points = new ArrayList<>(every(FROM, ten, 1, 2, 3, 4));
        points.addAll(every(FROM.plus(Duration.ofMinutes(10)), ten, 5, 6, 7));
        points.addAll(every(FROM.plus(Duration.ofMinutes(30)), ten, 8)); // a lone point: a dot
        String svg = SvgChart.render("CPU", SvgChart.Unit.PERCENT, points, FROM, FROM.plus(Duration.ofHours(1)));
        assertThat(count(svg, "<polyline")).isEqualTo(2);
        assertThat(count(svg, "<circle")).isEqualTo(1);
        assertThat(SvgChart.runs(points)).extracting(List::size).containsExactly(4, 3, 1);
        // evenly spaced points, in any order, are one line
        List<HistoryPoint> even = new ArrayList<>(every(FROM, ten, 1, 2, 3, 4, 5));
        java.util.Collections.reverse(even);
        assertThat(count(SvgChart.render("CPU", SvgChart.Unit.PERCENT, even, FROM, FROM.plusSeconds(60)),
                "<polyline")).isEqualTo(1);
    }

    @Test
    void aggregatesDrawTheirRangeAsABand() throws Exception {
        List<HistoryPoint> points = List.of(new HistoryPoint(FROM, 1, 2, 5), new HistoryPoint(FROM.plusSeconds(300),
                2, 3, 9), new HistoryPoint(FROM.plusSeconds(600), 0, 4, 4));
        String svg = SvgChart.render("CPU", SvgChart.Unit.PERCENT, points, FROM, FROM.plus(Duration.ofDays(7)));
        Element band = (Element) parse(svg).getElementsByTagNameNS("*", "polygon").item(0);
        assertThat(band.getAttribute("points").split(" ")).hasSize(6);
        assertThat(svg).contains("minimum 0 %, average 3 %, maximum 9 % (3 points)");
        // raw points (min = max) need no band
        assertThat(SvgChart.render("CPU", SvgChart.Unit.PERCENT, every(FROM, Duration.ofMinutes(1), 1, 2), FROM, TO))
                .doesNotContain("<polygon");
    }

    @Test
    void anyRangeIsDrawnWithAFewLabels() throws Exception {
        // a range from a hostile query: as wide as Instant goes, or backwards
        String wide = SvgChart.render("CPU", SvgChart.Unit.PERCENT, every(FROM, Duration.ofMinutes(5), 1, 2),
                Instant.MIN, Instant.MAX);
        assertThat(count(wide, "text-anchor=\"middle\" fill=\"#444\"")).isBetween(1, 9);
        parse(wide);
        parse(SvgChart.render("CPU", SvgChart.Unit.PERCENT, List.of(), TO, FROM));
        parse(SvgChart.render("CPU", SvgChart.Unit.PERCENT, List.of(), Instant.MAX, Instant.MAX));
    }
}
