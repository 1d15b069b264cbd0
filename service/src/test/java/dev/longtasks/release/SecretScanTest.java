package dev.longtasks.release;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The scanner CiFilesTest relies on finds what it must (AWS's documented example values here). */
class SecretScanTest {

    @Nested
    class Finds {
        @Test
        void an_account_id_in_a_role_arn() {
            assertThat(SecretScan.inText("role: arn:aws:iam::123456789012:role/deploy"))
                    .containsExactly("line 1: a 12-digit number (an AWS account id): 123456789012");
        }

        @Test
        void an_access_key_id() {
            assertThat(SecretScan.inText("key: AKIAIOSFODNN7EXAMPLE")).hasSize(1);
        }

        @Test
        void a_secret_access_key_value_in_yaml_or_shell() {
            assertThat(SecretScan.inText("  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).hasSize(1);
            assertThat(SecretScan.inText("export aws_secret_access_key=wJalrXUtnFEMI/K7MDENG")).hasSize(1);
        }

        @Test
        void a_private_key() {
            assertThat(SecretScan.inText("-----BEGIN RSA PRIVATE KEY-----")).hasSize(1);
        }

        @Test
        void a_role_written_as_a_value_in_the_parsed_file() {
            assertThat(SecretScan.inTree(RepoFiles.yaml("with:\n  role-to-assume: deploy-role\n")))
                    .containsExactly("/with/role-to-assume is written in the file instead of coming from a variable");
        }
    }

    @Nested
    class Lets_through {
        @Test
        void values_taken_from_ci_variables() {
            assertThat(SecretScan.inText("AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY")).isEmpty();
            assertThat(SecretScan.inText("aws_secret_access_key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}")).isEmpty();
            assertThat(SecretScan.inTree(RepoFiles.yaml("role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}\n"))).isEmpty();
            assertThat(SecretScan.inTree(RepoFiles.yaml("AWS_ACCESS_KEY_ID: $AWS_ACCESS_KEY_ID\n"))).isEmpty();
        }

        @Test
        void a_uuid_whose_last_group_is_twelve_digits() {
            assertThat(SecretScan.inText("--task-id 3f1c9e0a-1111-4111-8111-111111111111")).isEmpty();
        }

        @Test
        void numbers_that_are_not_twelve_digits_long() {
            assertThat(SecretScan.inText("timeout: 5400\nid: 1234567890123\nport: 5672")).isEmpty();
        }
    }
}
