from index.postgres.embedded import with_database


def test_another_database_on_the_same_socket_server():
    url = "postgresql://embedded_postgres@/carnet?host=/tmp/pg/run&port=5432"
    assert with_database(url, "bench_1000") == "postgresql://embedded_postgres@/bench_1000?host=/tmp/pg/run&port=5432"


def test_another_database_on_a_tcp_server():
    assert with_database("postgresql://u:p@db:5432/carnet", "x") == "postgresql://u:p@db:5432/x"
