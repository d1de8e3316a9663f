"""``relutui demo``: list, play live, save screenshots, record an asciicast.

    relutui demo --list
    relutui demo dying-relu                      # live, at human speed (any key pauses, q quits)
    relutui demo dying-relu --screenshots shots  # headless, an SVG at each mark
    relutui demo dying-relu --cast dying.cast    # asciicast v2, plays with `asciinema play`

Also runnable on its own: ``python -m relutui.demos.commands dying-relu ...``.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_demo_parser", "configure_demo_parser", "run_demo", "main"]


def _size(text: str) -> tuple[int, int]:
    from relutui.demos.script import parse_size  # (the demo format loads when a demo is asked for)

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _speed(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"speed must be a number, got {text!r}") from None
    if not 0.1 <= v <= 20:
        raise argparse.ArgumentTypeError(f"speed must be between 0.1 and 20, got {v:g}")
    return v


def configure_demo_parser(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("name", nargs="?", metavar="NAME",
                   help="a demo name (see --list) or a demo .toml file")
    p.add_argument("--list", action="store_true", help="list the demos and exit")
    p.add_argument("--screenshots", metavar="DIR",
                   help="play headless as fast as possible and save an SVG at every mark in DIR")
    p.add_argument("--cast", metavar="FILE",
                   help="record the demo played live as an asciicast v2 file (asciinema play FILE)")
    p.add_argument("--size", type=_size, default=None, metavar="WxH",
                   help="terminal size for --screenshots and --cast (default: the demo's, 120x36)")
    p.add_argument("--overwrite", action="store_true", help="replace existing screenshots / cast file")
    p.add_argument("--speed", type=_speed, default=1.0,
                   help="live and --cast playback speed factor (default 1; 2 is twice as fast)")
    p.add_argument("--exit-at-end", action="store_true",
                   help="live: quit when the demo ends (used when recording a cast)")
    p.set_defaults(func=run_demo)
    return p


def add_demo_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``demo`` to an argparse subparsers object; returns the new parser."""
    p = subparsers.add_parser(
        "demo", help="play a recorded demo (live, as SVG screenshots, or as an asciicast)",
        description="Play a demo script: live in this terminal (any key pauses, q quits), "
                    "headless with --screenshots DIR, or recorded with --cast FILE.")
    return configure_demo_parser(p)


def _list_text() -> str:
    from relutui.demos.script import DemoError, demo_names, load_demo

    lines = []
    for name in demo_names():
        try:
            d = load_demo(name)
            lines.append(f"{name:<20} {d.title}")
        except DemoError as exc:  # a broken shipped demo still shows up, with why
            lines.append(f"{name:<20} (broken: {exc})")
    return "\n".join(lines)


def _error(message: str) -> None:
    """One line on stderr, in the style of the rest of the command line."""
    print(f"relutui: error: demo: {message}", file=sys.stderr)


def run_demo(args: argparse.Namespace) -> int:
    """Run ``relutui demo`` from parsed arguments; returns the exit code."""
    from relutui.demos.script import DemoError, demo_names, load_demo

    if args.list:
        print(_list_text())
        return 0
    if not args.name:
        _error(f"give a demo name ({', '.join(demo_names())}) or --list")
        return 2
    try:
        demo = load_demo(args.name)
    except DemoError as exc:
        _error(str(exc))  # unknown demo 'x'; demos: a, b, ...  /  FILE: step 3: reason
        return 2
    size = args.size or demo.size
    if args.screenshots or args.cast:
        if args.screenshots:
            from relutui.demos.player import play_headless

            try:
                files = play_headless(demo, args.screenshots, size, overwrite=args.overwrite)
            except OSError as exc:  # an existing file (kept), or a place that cannot be written
                _error(str(exc))
                return 1
            for f in files:
                print(f)
        if args.cast:
            from relutui.demos.cast import CastError, record_cast

            try:
                result = record_cast(demo, args.cast, size, overwrite=args.overwrite, speed=args.speed)
            except OSError as exc:  # an existing file (kept), or a place that cannot be written
                _error(str(exc))
                return 1
            except CastError as exc:
                _error(str(exc))
                return 1
            print(f"{result.path}  ({result.events} events, {result.duration:.1f}s, "
                  f"{size[0]}x{size[1]}; play it with: asciinema play {result.path})")
        return 0
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _error("playing live needs a terminal; use --screenshots DIR or --cast FILE")
        return 2
    from relutui.demos.player import play_live

    return play_live(demo, exit_at_end=args.exit_at_end, speed=args.speed)


def main(argv: list[str] | None = None) -> int:
    parser = configure_demo_parser(argparse.ArgumentParser(prog="relutui demo"))
    args = parser.parse_args(argv)
    return run_demo(args)


if __name__ == "__main__":
    raise SystemExit(main())
