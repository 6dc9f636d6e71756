package dev.kiban.docs;

import dev.kiban.docs.Book.Chapter;
import dev.kiban.docs.Book.Proof;
import dev.kiban.docs.Book.Step;
import dev.kiban.spec.AuditIds;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.PlatformSpec.NodeRole;
import dev.kiban.spec.PlatformSpec.SwarmNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The design's procedures (3.1 set-up, 3.2 storage and backup, 3.3 monitoring and security, 3.4 validation) and
 * the operations around them (upgrade, disaster recovery, adding a Swarm node) as a {@link Book}, every command
 * with the resolved spec's own values. Pure: the stacks under {@code storage.compose} and the ids of
 * {@code kiban verify}'s checks (id to group, unit or integration) are handed in, since docs may not use verify.
 * A proof names a check that exists, or the book is not made.
 */
public final class Procedures {
    static final String SNAP = "SNAP";
    static final String STACK = "STACK";

    private final PlatformSpec spec;
    private final List<String> stacks;
    private final Map<String, String> verifyChecks;
    private final boolean rhel;

    private Procedures(PlatformSpec spec, List<String> stacks, Map<String, String> verifyChecks) {
        this.spec = spec;
        this.stacks = stacks.isEmpty() ? List.of(STACK) : List.copyOf(stacks);
        this.verifyChecks = new LinkedHashMap<>(verifyChecks);
        this.rhel = spec.host().family() == Family.RHEL;
    }

    /** The book for a resolved spec; {@code stacks} empty: the steps name a placeholder STACK. */
    public static Book book(PlatformSpec resolved, List<String> stacks, Map<String, String> verifyChecks) {
        Procedures p = new Procedures(resolved, stacks, verifyChecks);
        return new Book("kiban 基盤 構築・運用手順書", "kiban platform: set-up and operations procedures",
                List.of(p.setup(), p.storage(), p.monitoring(), p.validation(), p.operations(), p.upgrade(),
                        p.recovery(), p.addNode()));
    }

    private Chapter setup() {
        var e = spec.engine();
        var sw = spec.swarm();
        List<Step> s = new ArrayList<>();
        s.add(step("仕様ファイル kiban.yaml を検証する。警告（未記入のプレースホルダを含む）もエラーとして扱う。",
                "Validate the spec, kiban.yaml; warnings (unfilled placeholders among them) count as errors.",
                cmd("kiban", "spec", "validate", "--strict")));
        s.add(step("ホストに加える変更（ファイル、パッケージ、コマンド）を確認する。まだ何も変更しない。",
                "Review what kiban would change on the host (files, packages, commands); nothing changes yet.",
                cmd("kiban", "plan")));
        s.add(step("Docker Engine を導入して起動する（" + (rhel ? "Docker CE リポジトリ" : "docker.io パッケージ")
                        + "）。Compose v2 プラグインも確認する。",
                "Install and start the Docker engine (" + (rhel ? "Docker's CE repository" : "the docker.io package")
                        + "), with the Compose v2 plugin.",
                cmd("kiban", "engine", "install", "--yes"), verify("engine-active"), verify("compose-v2")));
        s.add(step("仕様どおりにホストを構成する：daemon.json（data-root " + e.dataRoot().value() + "、ストレージドライバ "
                        + e.storageDriver() + "、live-restore " + e.liveRestore().name().toLowerCase(Locale.ROOT)
                        + "）、カーネルパラメータ、SSH、fail2ban、ファイアウォール、バックアップと監視のユニット。",
                "Configure the host as the spec says: daemon.json (data-root " + e.dataRoot().value()
                        + ", storage driver " + e.storageDriver() + ", live-restore "
                        + e.liveRestore().name().toLowerCase(Locale.ROOT) + "), kernel parameters, SSH, fail2ban, the"
                        + " firewall, the backup and monitoring units.",
                cmd("kiban", "apply", "--yes"), verify("host-no-drift"), audit("kiban.api.tcp"),
                audit("kiban.socket.mode")));
        s.add(step("データ領域 " + spec.storage().data().value() + " が専用のファイルシステムとしてマウントされていることを確認する。",
                "Check that the data area " + spec.storage().data().value() + " is mounted as its own filesystem.",
                cmd("findmnt", "--target", spec.storage().data().value()), verify("data-mounted")));
        if (sw.enabled()) {
            s.add(step("Swarm を初期化する（advertise " + sw.advertiseAddress().address() + "、listen "
                            + sw.listenAddress().address() + "、アドレスプール " + pools() + "、データパスポート "
                            + sw.dataPathPort() + "/udp）。参加トークンは " + sw.joinTokenFile().value()
                            + " に保存される（0600）。",
                    "Initialise the Swarm (advertise " + sw.advertiseAddress().address() + ", listen "
                            + sw.listenAddress().address() + ", address pool " + pools() + ", data path port "
                            + sw.dataPathPort() + "/udp). The join token is saved to " + sw.joinTokenFile().value()
                            + " (0600).",
                    cmd("kiban", "swarm", "init", "--yes"), verify("swarm-active"), audit("kiban.swarm")));
        }
        for (String stack : stacks) {
            String file = compose(stack);
            s.add(step("スタック " + stack + " の Compose ファイル " + file + " を検査する。",
                    "Lint the compose file of stack " + stack + ", " + file + ".",
                    cmd("kiban", "stack", "lint", file)));
            s.add(step("スタック " + stack + " をデプロイし、すべてのサービスが起動するまで待つ。",
                    "Deploy stack " + stack + " and wait until every service runs.",
                    cmd("kiban", "stack", "deploy", stack)));
            s.add(step("スタック " + stack + " のタスクの状態を確認する。", "Check the tasks of stack " + stack + ".",
                    cmd("kiban", "stack", "ps", stack)));
        }
        s.add(step("基盤全体の状態（エンジン、Swarm、スタック、ディスク、バックアップ）を確認する。",
                "Check the whole platform's state (engine, Swarm, stacks, disks, backups).", cmd("kiban", "status")));
        return new Chapter("3.1-docker-environment-setup", "3.1 Docker 環境構築手順", "3.1 Docker environment set-up",
                "ホストの構成、Docker Engine、Swarm、スタックのデプロイまで。記載のコマンドをこの順に実行する。",
                "The host, the Docker engine, the Swarm and the stacks. Run the commands in this order.", s);
    }

    private Chapter storage() {
        var st = spec.storage();
        var b = spec.backup();
        var r = b.retention();
        String sources = b.sources().stream().map(x -> x.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        List<Step> s = new ArrayList<>();
        s.add(step("ストレージの配置を確認する：データ " + st.data().value() + "、ボリューム " + st.volumes().value()
                        + "、イメージ " + st.images().value() + "、Compose ファイル " + st.compose().value()
                        + "、ローカルバックアップ " + st.localBackups().value() + "。",
                "Check the storage layout: data " + st.data().value() + ", volumes " + st.volumes().value()
                        + ", images " + st.images().value() + ", compose files " + st.compose().value()
                        + ", local backups " + st.localBackups().value() + ".",
                cmd("findmnt", "--target", st.volumes().value()), verify("data-mounted")));
        s.add(step("バックアップリポジトリ " + b.repository().value()
                        + " が外部ディスク上にあることを確認する（ルートファイルシステムではないこと）。",
                "Check that the backup repository " + b.repository().value()
                        + " is on the external disk, not on the root filesystem.",
                cmd("findmnt", "--target", b.repository().value())));
        s.add(step("バックアップのタイマーを確認する（スケジュール " + b.schedule().expression() + "、systemd の OnCalendar="
                        + b.schedule().onCalendar() + "）。",
                "Check the backup timer (schedule " + b.schedule().expression() + ", systemd OnCalendar="
                        + b.schedule().onCalendar() + ").",
                cmd("systemctl", "list-timers", "kiban-backup.timer"), verify("backup-job")));
        s.add(step("初回のバックアップを手動で実行する（対象：" + sources + "、ログ " + b.log().value() + "）。",
                "Run the first backup by hand (sources: " + sources + ", log " + b.log().value() + ").",
                cmd("kiban", "backup", "run"), verify("backup-job")));
        s.add(step("スナップショットを一覧する（保持：最新 " + r.keepLast() + "、週次 " + r.keepWeekly() + "、月次 "
                        + r.keepMonthly() + "）。",
                "List the snapshots (kept: last " + r.keepLast() + ", weekly " + r.keepWeekly() + ", monthly "
                        + r.keepMonthly() + ").",
                cmd("kiban", "backup", "list")));
        s.add(step("リポジトリの全チャンクを読み直し、ハッシュを検証する。",
                "Read every chunk of the repository back and check its hash.",
                cmd("kiban", "backup", "verify", "--read-data")));
        s.add(step("最新のスナップショットを一時ディレクトリへ復元し、内容を確認する（本番のデータは変更しない）。",
                "Restore the latest snapshot into a scratch directory and look at it (the live data is not touched).",
                cmd("kiban", "backup", "restore", "latest", "--target", "/tmp/kiban-restore-check"),
                verify("backup-restore")));
        return new Chapter("3.2-storage-backup-setup", "3.2 ストレージ・バックアップ構築手順",
                "3.2 Storage and backup set-up",
                "データ領域とバックアップ（週次、コンテンツアドレス型リポジトリ）の構築と確認。",
                "The data area and the backups (weekly, into a content-addressed repository): set up and checked.", s);
    }

    private Chapter monitoring() {
        var m = spec.monitor();
        var sec = spec.security();
        var ssh = sec.ssh();
        var f = sec.fail2ban();
        List<Step> s = new ArrayList<>();
        s.add(step("監視エージェントが動作していることを確認する（間隔 " + m.interval() + "、メトリクスのポート "
                        + m.metrics().port() + "）。",
                "Check that the monitoring agent runs (interval " + m.interval() + ", metrics port "
                        + m.metrics().port() + ").",
                cmd("systemctl", "status", "kiban-monitor.service")));
        s.add(step("通知チャネルへテスト通知を送り、届いたことを確認する。",
                "Send a test alert through the channels and check that it arrives.",
                cmd("kiban", "alert", "test"), verify("alert-delivery"), verify("mail-relay")));
        s.add(step("日次レポートを表示する（詳細度 " + m.report().detail() + "、範囲 " + m.report().range() + "）。",
                "Show the daily report (detail " + m.report().detail() + ", range " + m.report().range() + ").",
                cmd("kiban", "report", "daily"), verify("logwatch-report")));
        s.add(step("SSH の実効設定を確認する（ポート " + ssh.port() + "、root ログイン " + yesNo(ssh.permitRootLogin())
                        + "、パスワード認証 " + yesNo(ssh.passwordAuthentication()) + "、許可ユーザー "
                        + String.join(", ", ssh.allowUsers()) + "）。",
                "Check sshd's effective settings (port " + ssh.port() + ", root login " + yesNo(ssh.permitRootLogin())
                        + ", password authentication " + yesNo(ssh.passwordAuthentication()) + ", allowed users "
                        + String.join(", ", ssh.allowUsers()) + ").",
                cmd("sshd", "-T"), audit("kiban.ssh.password"), audit("kiban.ssh.rootlogin"),
                audit("kiban.ssh.allowusers")));
        s.add(step("fail2ban の sshd jail を確認する（bantime " + f.bantime() + "、findtime " + f.findtime() + "、maxretry "
                        + f.maxretry() + "）。",
                "Check fail2ban's sshd jail (bantime " + f.bantime() + ", findtime " + f.findtime() + ", maxretry "
                        + f.maxretry() + ").",
                cmd("fail2ban-client", "status", "sshd"), verify("fail2ban-sshd"), audit("kiban.fail2ban")));
        if (rhel) {
            s.add(step("SELinux が " + sec.selinux().mode() + "（ポリシー " + sec.selinux().policy() + "）であることを確認する。",
                    "Check that SELinux is " + sec.selinux().mode() + " (policy " + sec.selinux().policy() + ").",
                    cmd("getenforce"), verify("selinux-enforcing"), audit("kiban.selinux")));
            s.add(step("ファイアウォール（firewalld のゾーン " + sec.firewall().zone() + "）を確認する。",
                    "Check the firewall (firewalld's zone " + sec.firewall().zone() + ").",
                    cmd("firewall-cmd", "--zone=" + sec.firewall().zone(), "--list-all"), audit("kiban.firewall"),
                    audit("kiban.firewall.docker-user")));
            s.add(step("自動セキュリティアップデート（dnf-automatic、種類 " + sec.updates().type() + "）を確認する。",
                    "Check the automatic security updates (dnf-automatic, type " + sec.updates().type() + ").",
                    cmd("systemctl", "list-timers", "dnf-automatic.timer"), audit("kiban.updates")));
        } else {
            s.add(step("ファイアウォール（nftables の inet kiban テーブル）を確認する。",
                    "Check the firewall (nftables' inet kiban table).",
                    cmd("nft", "list", "table", "inet", "kiban"), audit("kiban.firewall"),
                    audit("kiban.firewall.docker-user")));
            s.add(step("自動セキュリティアップデート（unattended-upgrades）を確認する。",
                    "Check the automatic security updates (unattended-upgrades).",
                    cmd("systemctl", "list-timers", "apt-daily-upgrade.timer"), audit("kiban.updates")));
        }
        s.add(step("セキュリティ監査を実行する（CIS Docker Benchmark v1.6.0 と kiban 独自のチェック。" + spec.audit().failOn()
                        + " 以上の不合格で失敗）。",
                "Run the security audit (the CIS Docker Benchmark v1.6.0 and kiban's own checks; fails at "
                        + spec.audit().failOn() + " and above).",
                cmd("kiban", "audit"), verify("audit")));
        return new Chapter("3.3-monitoring-security-setup", "3.3 監視・セキュリティ構築手順",
                "3.3 Monitoring and security set-up",
                "監視・通知・日次レポートと、多層防御（SSH、fail2ban、"
                        + (rhel ? "SELinux、firewalld" : "nftables") + "、自動アップデート）の確認。",
                "Monitoring, alerts and the daily report, and the layers of defence (SSH, fail2ban, "
                        + (rhel ? "SELinux, firewalld" : "nftables") + ", automatic updates), checked.", s);
    }

    private Chapter validation() {
        List<Step> s = new ArrayList<>();
        s.add(step("単体テスト（R11.1）：各構成要素が存在し動作していることを確認する。",
                "Unit checks (R11.1): each part is there and works.", cmd("kiban", "verify", "--only", "unit"),
                group("unit")));
        s.add(step("統合テスト（R11.2）：使い捨てのコンテナで構成要素の連携を確認する。",
                "Integration checks (R11.2): the parts work together, with throwaway containers.",
                cmd("kiban", "verify", "--only", "integration"), group("integration")));
        s.add(step("検証結果を JUnit 形式で保存し、成果物として残す。",
                "Keep the results as a JUnit report, a deliverable.",
                cmd("kiban", "verify", "--format", "junit", "--output", "kiban-verify.xml")));
        s.add(step("監査結果を JUnit 形式で保存する。", "Keep the audit's results as a JUnit report.",
                cmd("kiban", "audit", "--format", "junit", "--output", "kiban-audit.xml"), verify("audit")));
        return new Chapter("3.4-infrastructure-validation", "3.4 基盤検証手順", "3.4 Platform validation",
                "設計書のテスト戦略（単体テスト・統合テスト）を kiban verify で実施する。",
                "The design's test strategy (unit and integration checks), run by kiban verify.", s);
    }

    /** The design's operations chapter (R9.1 daily and weekly, R9.2 the troubleshooting flow) with kiban's commands. */
    private Chapter operations() {
        var st = spec.storage();
        List<Step> s = new ArrayList<>();
        s.add(step("毎日：コンテナ・サービス・ノードの状態とリソース使用率を確認する。",
                "Daily: the state of the containers, services and nodes, and the resources they use.",
                cmd("kiban", "status"), verify("engine-active"), verify("swarm-active")));
        s.add(step("毎日：日次レポート（エンジンのログ、ディスク、バックアップ、アラート）を確認する。"
                        + "kiban-report.timer が " + String.join(", ", spec.mailRecipients()) + " へも送る。",
                "Daily: the daily report (the engine's log, disks, backups, alerts); kiban-report.timer also mails it"
                        + " to " + String.join(", ", spec.mailRecipients()) + ".",
                cmd("kiban", "report", "daily"), verify("logwatch-report")));
        s.add(step("毎週：データ領域 " + st.data().value() + " のディスク使用率を確認する（アラートの閾値 "
                        + spec.monitor().threshold(PlatformSpec.Metric.DISK).map(Object::toString).orElse("-") + "）。",
                "Weekly: disk use of the data area " + st.data().value() + " (alert threshold "
                        + spec.monitor().threshold(PlatformSpec.Metric.DISK).map(Object::toString).orElse("-") + ").",
                cmd("df", "-h", st.data().value()), verify("data-mounted")));
        s.add(step("毎週：最新のバックアップを確認し、リポジトリを検証する。",
                "Weekly: check the latest backup and verify the repository.", cmd("kiban", "backup", "verify"),
                verify("backup-job")));
        var m = spec.maintenance();
        String copyJa = m.offsiteCopy().map(c -> "、バックアップの後のオフサイトコピー（" + c.to() + "）").orElse("");
        String copyEn = m.offsiteCopy().map(c -> "; the off-site copy to " + c.to() + " after the backup").orElse("");
        s.add(step("毎週：定期作業のタイマー（イメージの整理 " + m.images().schedule() + "、バックアップの抜き取り読み戻し "
                        + m.verify().schedule() + "、エンジン更新の時間帯 " + m.engineUpdate().schedule()
                        + "：このノードをドレインし、更新・再起動の後にアクティブへ戻す" + copyJa
                        + "）の直近の実行結果を確認する。",
                "Weekly: the last runs of the routine's timers (the image clean-up " + m.images().schedule()
                        + "; the backup's sampled read-back " + m.verify().schedule() + "; the engine's update window "
                        + m.engineUpdate().schedule() + ": this node drained, updated, restarted and made active again"
                        + copyEn + ").",
                cmd("kiban", "status"), verify("routine")));
        m.offsiteCopy().ifPresent(c -> s.add(step("必要なとき：オフサイトコピーをすぐに実行する（送ったものは読み戻して照合する）。",
                "When needed: run the off-site copy now (what it sends is read back and compared).",
                cmd("kiban", "backup", "copy", "--to", c.to()), verify("routine"))));
        s.add(step("毎週：セキュリティ監査を実行する（自動アップデートの状態を含む）。",
                "Weekly: run the security audit (the automatic updates' state included).", cmd("kiban", "audit"),
                verify("audit"), audit("kiban.updates")));
        s.add(step("障害時：コンテナまたはサービスについてトラブルシューティングの流れ（状態、ログ、リソース、ネットワーク、"
                        + "直近 1 時間のイベント、ホストのリソース、SELinux の拒否）を一度に実行する。SERVICE を対象の名前に置き換える。",
                "On trouble: run the troubleshooting flow (state, logs, resources, networks, the last hour's events,"
                        + " the host's resources, SELinux denials) for one container or service; replace SERVICE"
                        + " with its name.",
                cmd("kiban", "doctor", "SERVICE")));
        return new Chapter("operations", "運用手順（日常・週次・障害時）", "Operations (daily, weekly, on trouble)",
                "設計書の運用手順概要（日常運用とトラブルシューティングフロー）を kiban のコマンドで行う。",
                "The design's operations (the daily routine and the troubleshooting flow) with kiban's commands.", s);
    }

    private Chapter upgrade() {
        List<Step> s = new ArrayList<>();
        s.add(step("アップグレードの前にバックアップを取る。", "Back up before upgrading.", cmd("kiban", "backup", "run"),
                verify("backup-job")));
        s.add(step("kiban のパッケージを更新する。", "Upgrade kiban's package.",
                rhel ? cmd("dnf", "install", "./kiban.rpm") : cmd("apt-get", "install", "./kiban.deb")));
        s.add(step("新しい版の kiban が仕様で変える点を確認する。", "Review what the new kiban would change.",
                cmd("kiban", "plan")));
        s.add(step("変更を適用する。", "Apply the changes.", cmd("kiban", "apply", "--yes"), verify("host-no-drift")));
        List<String> engine = rhel
                ? cmd("dnf", "upgrade", "docker-ce", "docker-ce-cli", "containerd.io", "docker-buildx-plugin",
                        "docker-compose-plugin")
                : cmd("apt-get", "install", "--only-upgrade", "docker.io");
        List<SwarmNode> nodes = spec.swarm().nodes();
        if (nodes.isEmpty()) {
            s.add(step("Docker Engine を更新する（自動アップデートの対象外）。更新中はこのホストのサービスが再起動する。",
                    "Upgrade the Docker engine (automatic updates leave it out); this host's services restart.",
                    engine, verify("engine-active")));
        } else {
            for (SwarmNode n : nodes) {
                s.add(step("マネージャー上で、ノード " + n.name() + " のタスクを他のノードへ移す。",
                        "On a manager, move node " + n.name() + "'s tasks to the other nodes.",
                        cmd("kiban", "node", "drain", n.name())));
                s.add(step("ノード " + n.name() + "（" + n.address().address() + "）上で Docker Engine を更新する。",
                        "On node " + n.name() + " (" + n.address().address() + "), upgrade the Docker engine.", engine,
                        verify("engine-active")));
                s.add(step("マネージャー上で、ノード " + n.name() + " を再びタスクの配置先にする。",
                        "On a manager, make node " + n.name() + " take tasks again.",
                        cmd("kiban", "node", "activate", n.name()), verify("swarm-nodes-ready"),
                        verify("swarm-quorum")));
            }
        }
        s.add(step("基盤全体を検証する。", "Validate the whole platform.", cmd("kiban", "verify"),
                verify("engine-active"), verify("host-no-drift")));
        return new Chapter("upgrade", "アップグレード手順（kiban と Docker Engine）",
                "Upgrade (kiban and the Docker engine)",
                "kiban のパッケージと、自動アップデートの対象外である Docker Engine の更新。",
                "Upgrading kiban's package and the Docker engine, which the automatic updates leave out.", s);
    }

    private Chapter recovery() {
        var b = spec.backup();
        List<Step> s = new ArrayList<>();
        s.add(step("新しいホストに kiban を導入し、仕様ファイルを /etc/kiban/kiban.yaml に置く。",
                "Install kiban on the fresh host and put the spec at /etc/kiban/kiban.yaml.",
                rhel ? cmd("dnf", "install", "./kiban.rpm") : cmd("apt-get", "install", "./kiban.deb")));
        s.add(step("バックアップディスクを接続し、リポジトリ " + b.repository().value() + " が見えることを確認する。",
                "Attach the backup disk and check that the repository " + b.repository().value() + " is there.",
                cmd("findmnt", "--target", b.repository().value())));
        s.add(step("仕様どおりにホストを構成する（Docker Engine の導入を含む）。",
                "Configure the host as the spec says (the Docker engine's installation included).",
                cmd("kiban", "apply", "--yes"), verify("engine-active"), verify("host-no-drift")));
        s.add(step("復元するスナップショットを選ぶ。以下の SNAP をその ID に置き換える。",
                "Choose the snapshot to restore; replace SNAP below with its id.", cmd("kiban", "backup", "list")));
        s.add(step("復元の計画を確認する（何も変更しない）。", "Look at the restore's plan (this changes nothing).",
                cmd("kiban", "restore-all", SNAP, "--dry-run")));
        String stackList = stacks.isEmpty() ? "" : "（" + String.join("、", stacks) + "）";
        s.add(step((spec.swarm().enabled() ? "仕様どおりに Swarm を初期化し、" : "")
                        + "イメージを読み込み、ボリュームを " + spec.storage().volumes().value() + " とエンジンへ、Compose "
                        + "ファイルを " + spec.storage().compose().value() + " へ復元し、Swarm の config を作り直してから、"
                        + "スタック" + stackList + "を依存の順にデプロイして収束を待つ。最後の報告に、戻ったものと"
                        + "運用者の作業（作り直すシークレット、収束しなかったスタックとその理由）が表示される。",
                (spec.swarm().enabled() ? "Initialise the Swarm as the spec says, load" : "Load")
                        + " the images, restore the volumes to " + spec.storage().volumes().value()
                        + " and the engine, "
                        + "the compose files to " + spec.storage().compose().value() + ", recreate the Swarm configs, "
                        + "then deploy the stacks" + (stacks.isEmpty() ? "" : " (" + String.join(", ", stacks) + ")")
                        + " in the order they need each other and wait for them; the final report says what came "
                        + "back and what needs the operator (secrets to recreate, stacks that did not converge and "
                        + "why).",
                cmd("kiban", "restore-all", SNAP, "--yes"), verify("swarm-active")));
        s.add(step("報告に表示されたシークレットを、表示されたコマンドで作り直す（値はバックアップされない）。そのあと同じ"
                        + "コマンドをもう一度実行すると、済んだ手順は飛ばして続きから再開する。",
                "Recreate the secrets the report lists with the command it shows (their values are never backed up), "
                        + "then run the same command again: it skips what is done and continues.",
                cmd("kiban", "restore-all", SNAP, "--yes")));
        s.add(step("基盤全体を検証する。", "Validate the whole platform.", cmd("kiban", "verify"),
                verify("data-mounted"), verify("backup-job"), verify("web-http-200")));
        return new Chapter("disaster-recovery", "障害復旧手順（新しいホストへのリストア）",
                "Disaster recovery (restoring onto a fresh host)",
                "ホストを失ったとき、バックアップのスナップショットから新しいホストに基盤を復元する。",
                "When the host is lost: the platform restored onto a fresh host from a backup snapshot.", s);
    }

    private Chapter addNode() {
        var sw = spec.swarm();
        List<Step> s = new ArrayList<>();
        List<String> managers = sw.managerAddresses();
        String first = sw.nodes().stream().filter(n -> n.role() == NodeRole.MANAGER).map(SwarmNode::name)
                .findFirst().orElse("");
        List<SwarmNode> joining = sw.nodes().stream().filter(n -> !n.name().equals(first)).toList();
        String mgr = managers.isEmpty() ? sw.advertiseAddress().address() : String.join(", ", managers);
        String nets = sw.nodeNetworks().stream().map(Object::toString).collect(Collectors.joining(", "));
        s.add(step("ノード間の Swarm のポート（2377/tcp：マネージャー " + mgr + "、7946/tcp と 7946/udp、データパス "
                        + sw.dataPathPort() + "/udp）は、kiban apply が swarm.nodeNetworks（" + nets
                        + "）に対してだけ開ける。新しいノードのアドレスがこの範囲にあることを確認する。",
                "The Swarm ports between the nodes (2377/tcp to the managers " + mgr + ", 7946/tcp and 7946/udp, the"
                        + " data path " + sw.dataPathPort() + "/udp) are opened by kiban apply to swarm.nodeNetworks ("
                        + nets + ") only: check that the new node's address is in them.",
                List.of(), audit("kiban.firewall")));
        s.add(step("マネージャー上で参加トークンを表示する。", "On a manager, show the join token.",
                cmd("kiban", "swarm", "join-token")));
        s.add(step("新しいノードでトークンを " + sw.joinTokenFile().value() + " に置き、モードを 0600 にする。",
                "On the new node, put the token at " + sw.joinTokenFile().value() + ", mode 0600.",
                cmd("chmod", "0600", sw.joinTokenFile().value())));
        s.add(step("新しいノードを同じ仕様で構成する。", "Configure the new node from the same spec.",
                cmd("kiban", "apply", "--yes"), verify("engine-active"), verify("host-no-drift")));
        if (joining.isEmpty()) {
            s.add(step("swarm.nodes にノードがない。まず仕様に追加し、この手順書を作り直す。",
                    "swarm.nodes lists no node: add the node to the spec first and make this book again.",
                    cmd("kiban", "swarm", "join", "--node", "NODE", "--yes"), verify("swarm-active")));
        }
        for (SwarmNode n : joining) {
            String role = n.role() == NodeRole.MANAGER ? "マネージャー" : "ワーカー";
            s.add(step("ノード " + n.name() + "（" + n.address().address() + "）上で、" + role + "として Swarm に参加する。",
                    "On node " + n.name() + " (" + n.address().address() + "), join the Swarm as a "
                            + n.role().name().toLowerCase(Locale.ROOT) + ".",
                    cmd("kiban", "swarm", "join", "--node", n.name(), "--yes"), verify("swarm-active")));
        }
        s.add(step("マネージャー上で、ノードの役割・ラベル・可用性を仕様どおりにする。",
                "On a manager, make the nodes' roles, labels and availability as the spec says.",
                cmd("kiban", "swarm", "apply", "--yes"), verify("swarm-nodes-as-spec"), verify("swarm-quorum"),
                verify("swarm-nodes-ready")));
        s.add(step("オーバーレイネットワークでノード間の通信を確認する。",
                "Check traffic between the nodes over an overlay network.",
                cmd("kiban", "verify", "--only", "integration"), verify("swarm-overlay")));
        return new Chapter("swarm-add-node", "Swarm ノード追加手順", "Adding a Swarm node",
                "swarm.nodes に記載したノードを Swarm に参加させる（R8.3）。",
                "The nodes that swarm.nodes lists, joined to the Swarm (R8.3).", s);
    }

    private String pools() {
        return spec.swarm().defaultAddrPool().stream().map(Object::toString).collect(Collectors.joining(", "));
    }

    private String compose(String stack) {
        String dir = spec.storage().compose().value();
        return (dir.endsWith("/") ? dir : dir + "/") + stack + "/docker-compose.yml";
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static List<String> cmd(String... argv) {
        return List.of(argv);
    }

    private static Step step(String ja, String en, List<String> command, Proof... proofs) {
        return new Step(ja, en, command, List.of(proofs));
    }

    private static Step step(String ja, String en, List<String> command, List<Proof> proofs) {
        return new Step(ja, en, command, proofs);
    }

    private Proof verify(String id) {
        if (!verifyChecks.containsKey(id)) throw new IllegalArgumentException("kiban verify has no check " + id);
        return new Proof(Proof.Kind.VERIFY, id);
    }

    private List<Proof> group(String group) {
        return verifyChecks.entrySet().stream().filter(e -> e.getValue().equals(group))
                .map(e -> new Proof(Proof.Kind.VERIFY, e.getKey())).toList();
    }

    private static Proof audit(String id) {
        if (!AuditIds.known(id)) throw new IllegalArgumentException("kiban audit has no check " + id);
        return new Proof(Proof.Kind.AUDIT, id);
    }
}
