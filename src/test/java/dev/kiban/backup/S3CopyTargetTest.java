package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What an S3 store's refusals become (no store: the SDK's exceptions built here): refused credentials and an
 * unreachable endpoint exit 3 with no server text (which may quote a key); a full store stops the copy as full.
 */
class S3CopyTargetTest {
    private final S3CopyTarget target = new S3CopyTarget(CopyAddress.parse("s3://kiban-offsite/a"),
            "s3://kiban-offsite/a at http://store:9000", null);

    private static S3Exception error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void refusedCredentialsExitThreeWithoutTheServersText() {
        for (String code : new String[] {"SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied"}) {
            assertThatThrownBy(() -> target.failed("write x", error(403, code, "StringToSign AKIASECRETKEYID")))
                    .isInstanceOf(CopyTargetUnavailableException.class)
                    .hasMessageContaining("refused the credentials").hasMessageContaining(code)
                    .hasMessageNotContaining("AKIASECRETKEYID");
        }
    }

    @Test
    void aFullStoreStopsTheCopyAsFull() {
        for (S3Exception e : new S3Exception[] {error(507, "XMinioStorageFull", "full"),
                error(403, "QuotaExceeded", "quota"), error(507, "InsufficientStorage", "")}) {
            assertThat(target.failed("write x", e)).isInstanceOf(CopyDiskFullException.class)
                    .hasMessageContaining("full").hasMessageContaining("run kiban backup copy again");
        }
    }

    @Test
    void anUnreachableEndpointOrNoCredentialsExitThree() {
        assertThatThrownBy(() -> target.failed("list", SdkClientException.create("Connection refused")))
                .isInstanceOf(CopyTargetUnavailableException.class).hasMessageContaining("cannot reach");
        assertThatThrownBy(() -> target.failed("list", SdkClientException.create("Unable to load credentials")))
                .isInstanceOf(CopyTargetUnavailableException.class).hasMessageContaining("no S3 credentials");
        assertThatThrownBy(() -> target.failed("list", error(404, "NoSuchBucket", "")))
                .isInstanceOf(CopyTargetUnavailableException.class).hasMessageContaining("does not exist");
    }
}
