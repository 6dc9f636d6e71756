package dev.kiban.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.docs.Book.Lang;
import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile spec values (a stack name, a path with markup and quotes) reach the pages as text, never as markup. */
class RenderingTest {
    static final String HOSTILE_STACK = "<script>alert(\"x\")</script>";
    static final String HOSTILE_PATH = "/srv/\"a'b\"<img src=x onerror=alert(1)>`";

    static Map<String, String> files(BookFiles.Format format) {
        // the spec's reader refuses such a path; the renderers must not depend on it
        PlatformSpec b = ProceduresTest.spec(ProceduresTest.RECORDED, Family.DEBIAN);
        PlatformSpec.Storage st = b.storage();
        PlatformSpec hostile = new PlatformSpec(b.apiVersion(), b.kind(), b.admin(), b.host(), b.budget(), b.engine(),
                b.networks(), b.ports(), new PlatformSpec.Storage(st.data(), st.volumes(), st.images(),
                        st.localBackups(), new HostPath(HOSTILE_PATH), st.commonEnv()), b.backup(), b.monitor(),
                b.security(), b.swarm(), b.audit(), b.migrate(), b.maintenance(),
                b.dashboard());
        Book book = Procedures.book(hostile, List.of(HOSTILE_STACK), ProceduresTest.VERIFY);
        return BookFiles.files(book, format, EnumSet.allOf(Lang.class));
    }

    @Test
    void htmlEscapesEverythingAndRunsNoScript() {
        Map<String, String> files = files(BookFiles.Format.HTML);
        String page = files.get("en/3.1-docker-environment-setup.html");
        assertThat(page).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
                "&lt;img src=x onerror=alert(1)&gt;", "&#39;");
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (!f.getKey().endsWith(".html")) continue;
            assertThat(f.getValue()).as(f.getKey()).doesNotContainIgnoringCase("<script").doesNotContain("<img")
                    .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;");
        }
    }

    @Test
    void theCspAllowsOnlyThePagesOwnStyle() {
        assertThat(HtmlBook.CSP).startsWith("default-src 'none'; style-src 'sha256-").doesNotContain("unsafe");
        assertThat(HtmlBook.index(ProceduresTest.book(ProceduresTest.RECORDED, Family.DEBIAN), Lang.JA))
                .contains("<style>" + HtmlBook.STYLE + "</style>");
    }

    @Test
    void markdownEscapesTextAndFencesCommands() {
        String page = files(BookFiles.Format.MD).get("ja/3.1-docker-environment-setup.md");
        assertThat(page).contains("\\<script\\>alert(\"x\")\\</script\\>", "\\<img src=x onerror=alert(1)\\>\\`")
                .doesNotContain(" <script>");
        // the command is quoted for the shell and fenced by more backticks than it holds
        assertThat(page).contains("```sh\nkiban stack deploy '<script>alert(\"x\")</script>'\n```");
    }

    @Test
    void aCodeSpanIsNeverClosedByTheTextInside() {
        assertThat(MarkdownBook.code("a`b")).isEqualTo("``a`b``");
        assertThat(MarkdownBook.code("`x")).isEqualTo("`` `x ``");
        assertThat(MarkdownBook.fence("echo ````")).startsWith("`````sh\n");
    }

    @Test
    void shellWordsReadBackAsTheSameArgv() {
        assertThat(ShellWords.join(List.of("kiban", "stack", "deploy", "it's here", "/a/b"))).isEqualTo(
                "kiban stack deploy 'it'\\''s here' /a/b");
    }
}
