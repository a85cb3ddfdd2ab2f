# A stand-in for typer: the CLI's service modules only call secho with its colours.
import types
colors = types.SimpleNamespace(RED="red", GREEN="green", YELLOW="yellow", BLUE="blue")
def secho(message="", **_): print(message)
