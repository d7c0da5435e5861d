"""This part's demo rows (tanggap.demo.parts): filled in with the part itself."""


def play(ctx) -> dict:
    return {}
