import duckdb

from warehouse.query import MAX_CELL, format_result


def test_a_long_table_cell_is_cut_visibly_and_csv_keeps_it_whole():
    con = duckdb.connect()
    long = "defense,diplomacy,energy,multipolarity,security_architecture,western_pressure"
    table = format_result(con.execute("select ? as themes", [long]), "table")
    row = table.splitlines()[2]
    assert row.rstrip().endswith("…") and len(row.rstrip()) == MAX_CELL
    csv = format_result(con.execute("select ? as themes", [long]), "csv")
    assert long in csv
