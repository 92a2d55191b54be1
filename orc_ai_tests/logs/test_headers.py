"""Headers (timestamp, level, component) are stripped whatever the format; messages without one are kept whole."""

import pytest

from orc_ai.logs.headers import strip_header

WITH_HEADERS = [
    ("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown", "check pass; user unknown"),
    ("2015-10-18 18:01:51,806 INFO [IPC Server Responder] org.apache.hadoop.ipc.Server: IPC Server Responder: "
     "starting", "IPC Server Responder: starting"),
    ("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - "
     "Notification time out: 3200", "Notification time out: 3200"),
    ("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
     "mod_jk child workerEnv in error state 6"),
    ("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38 terminating",
     "PacketResponder 1 for block blk_38 terminating"),
    ("17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi",
     "Changing view acls to: yarn,curi"),
    ("[2026-11-30T10:00:01.123+0000] {taskinstance.py:301} ERROR - Task failed with exception",
     "Task failed with exception"),
    ("2026-11-30T10:00:01.123456Z [error    ] Task failed with exception", "Task failed with exception"),
    ("2026-12-01 10:00:00,123 WARNING worker-3 - disk almost full", "disk almost full"),
    ("ERROR [main] org.example.Loader: could not load part 7", "could not load part 7"),
    ("2015-07-31 19:30:07,452 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Follower@63] - FOLLOWING - LEADER "
     "ELECTION TOOK - 49", "FOLLOWING - LEADER ELECTION TOOK - 49"),
]
WITHOUT_HEADERS = [
    "[client 222.166.160.184] Directory index forbidden by rule: /var/www/html/",
    "error: Received disconnect from 195.154.37.122: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]",
    "ALERT exited abnormally with [1]",
    "warning: can't get client address: Connection reset by peer",
    "Notification: 3 (n.leader), 0x700000197 (n.zxid)",
    "psycopg2.OperationalError: could not connect to server",
]


@pytest.mark.parametrize(("line", "message"), WITH_HEADERS)
def test_a_header_is_stripped(line: str, message: str) -> None:
    assert strip_header(line) == message


@pytest.mark.parametrize("message", WITHOUT_HEADERS)
def test_a_message_without_header_is_kept(message: str) -> None:
    assert strip_header(message) == message


def test_an_exception_class_after_a_header_is_message_not_component() -> None:
    line = "2026-12-01T10:00:00Z ERROR psycopg2.OperationalError: could not connect"
    assert strip_header(line) == "psycopg2.OperationalError: could not connect"


def test_a_header_alone_is_never_stripped_to_nothing() -> None:
    assert strip_header("2015-07-29 23:44:28,903 - ERROR [CommitProcessor:1:NIOServerCnxn@180] - Unexpected "
                        "Exception: ") == "Unexpected Exception:"


def test_a_line_that_is_only_a_header_is_kept_as_its_message() -> None:
    assert strip_header("2026-12-01 10:00:00,123 INFO") == "2026-12-01 10:00:00,123 INFO"
