"""``python -m autograder``: a grader that cannot even load says so in Korean (exit 3), never with a traceback."""

import sys


def _main() -> int:
    try:
        import os

        if os.environ.get("AUTOGRADER_SIMULATE"):  # tests only: the Windows/macOS code paths on Linux
            from .sandbox.portable import simulate_parent

            simulate_parent(os.environ["AUTOGRADER_SIMULATE"])
        from .cli import main, parser_for

        parser = parser_for(sys.argv[1:])  # the command's own module, imported here: a broken install says so
    except Exception as exc:  # noqa: BLE001 - a missing package or a broken install of the grader itself
        print(f"채점기 문제: 채점기를 불러올 수 없습니다 ({type(exc).__name__}: {exc}). 필요한 패키지가 설치되어 "
              "있는지 확인하세요 (nox -s check 로 실행하면 nox가 설치합니다). 제출한 코드의 잘못이 아닙니다.",
              file=sys.stderr)
        return 3
    try:
        return main(parser=parser)
    except Exception as exc:  # noqa: BLE001 - a bug of the grader: a short Korean message, the traceback in a file
        import tempfile
        import traceback

        with tempfile.NamedTemporaryFile("w", prefix="autograder-error-", suffix=".txt", delete=False) as log:
            traceback.print_exc(file=log)
        print(f"채점기 문제: 채점기 내부 오류입니다 ({type(exc).__name__}: {exc}). 자세한 내용: {log.name} "
              "(제출한 코드의 잘못이 아닙니다. 조교나 강사에게 이 파일을 보내 주세요.)", file=sys.stderr)
        return 3


sys.exit(_main())
