package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.failure.UsageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The --to forms parsed, and hostile ones refused with what was expected. */
class CopyAddressTest {
    @Test
    void aDirectory() {
        CopyAddress a = CopyAddress.parse("/mnt/offsite/repo");
        assertThat(a.kind()).isEqualTo(CopyAddress.Kind.LOCAL);
        assertThat(a.localPath().toString()).isEqualTo("/mnt/offsite/repo");
        assertThat(CopyAddress.parse("relative/dir").kind()).isEqualTo(CopyAddress.Kind.LOCAL);
    }

    @Test
    void anSftpServer() {
        CopyAddress a = CopyAddress.parse("sftp://backup@nas.example.org:2222/srv/kiban-copy");
        assertThat(a.kind()).isEqualTo(CopyAddress.Kind.SFTP);
        assertThat(a.user()).isEqualTo("backup");
        assertThat(a.host()).isEqualTo("nas.example.org");
        assertThat(a.port()).isEqualTo(2222);
        assertThat(a.path()).isEqualTo("/srv/kiban-copy");
        assertThat(a.describe()).isEqualTo("sftp://backup@nas.example.org:2222/srv/kiban-copy");
        CopyAddress d = CopyAddress.parse("sftp://u@10.0.0.5/copy");
        assertThat(d.port()).isEqualTo(22);
        assertThat(d.describe()).isEqualTo("sftp://u@10.0.0.5/copy");
        CopyAddress v6 = CopyAddress.parse("sftp://u@[::1]:22/copy");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.describe()).isEqualTo("sftp://u@[::1]/copy");
    }

    @Test
    void anS3Bucket() {
        CopyAddress a = CopyAddress.parse("s3://kiban-offsite/host-a/repo/");
        assertThat(a.kind()).isEqualTo(CopyAddress.Kind.S3);
        assertThat(a.bucket()).isEqualTo("kiban-offsite");
        assertThat(a.path()).isEqualTo("host-a/repo");
        assertThat(CopyAddress.parse("s3://kiban-offsite").path()).isEmpty();
        assertThat(CopyAddress.parse("s3://kiban-offsite/").describe()).isEqualTo("s3://kiban-offsite");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "ftp://host/x", "http://host/x", "file:///x", "sftp:/u@host/x",
            "sftp://host/x", "sftp://@host/x", "sftp://-oProxyCommand=touch@host/x", "sftp://u@-oProxy/x",
            "sftp://u@host:0/x", "sftp://u@host:65536/x", "sftp://u@host:99999999/x", "sftp://u@host",
            "sftp://u@host/", "sftp://u@host/../etc", "sftp://u@host/srv/./x", "sftp://u@host//srv",
            "sftp://u@host/srv/", "sftp://u@host/a b", "sftp://u@host/a;rm", "sftp://u@host/a$(id)",
            "sftp://u@h@st/x", "sftp://u:hunter2@host/x", "sftp://u@host/x\nTERM", "/mnt/x\u0000y",
            "/mnt/\u001b[31mred", "s3://", "s3://ab", "s3://Upper-Case", "s3://bucket_underscore",
            "s3://-bucket", "s3://bucket-/x", "s3://a..b/x", "s3://bucket/a/../b", "s3://bucket//x",
            "s3://bucket/a b", "s3:bucket"})
    void hostileTargetsAreRefusedWithTheFormsExpected(String to) {
        assertThatThrownBy(() -> CopyAddress.parse(to)).isInstanceOf(UsageException.class)
                .hasMessageContaining("expected a directory")
                .hasMessageNotContaining("\n").hasMessageNotContaining("\u001b")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aVeryLongTargetIsShortenedInTheMessage() {
        String to = "sftp://u@host/" + "a/".repeat(600) + "b";
        assertThatThrownBy(() -> CopyAddress.parse(to)).isInstanceOf(UsageException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(600));
    }
}
