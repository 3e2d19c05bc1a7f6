"""Every Korean message about a test that did not pass, built in one place.

A :class:`~autograder.suites.support.Failure` is shown as the suite wrote it;
errors in student code are described by their kind, message and the
student's own line; a failure of the grader's machinery is never worded as
the student's mistake. Nothing from the grader's own traceback is shown.
"""

from __future__ import annotations

from ..protocol import (GraderFault, StudentCodeError, StudentCrash, StudentDiskError, StudentError,
                        StudentMemoryError, StudentTimeout)
from ..suites.support import Failure
from .result import Status

#: Folders of the textbook's repository its examples import after ``sys.path.append(os.pardir)``.
BOOK_FOLDERS = ("common", "dataset")


def _where(exc) -> str:
    frames = getattr(exc, "frames", None) or []
    if not frames:
        return ""
    path, line, _, text = frames[-1]
    return f" ({path} {line}번째 줄{': ' + text if text else ''})"


def describe(exc, limits=None) -> tuple[Status, str]:
    """Status and Korean message for a test that did not pass (``exc`` is what the test raised)."""
    func = getattr(exc, "func", None) or "함수"
    exercise = getattr(exc, "exercise", None)
    module = f"exercises/{exercise}.py" if exercise else "exercises/"
    if isinstance(exc, Failure):
        return Status.FAILED, str(exc)
    if isinstance(exc, StudentTimeout):
        if exc.whole_submission:
            return Status.TIMEOUT, f"시간 초과: 제출물 전체의 채점 시간 제한({exc.seconds:g}초)을 넘었습니다."
        if exc.repeated:
            return Status.TIMEOUT, (f"시간 초과: {func}이(가) 앞선 테스트에서 이미 두 번 시간 초과되어 더 실행하지 않았습니다. "
                             "무한 루프가 없는지 확인하세요.")
        if exc.during_import:
            return Status.TIMEOUT, f"시간 초과: {module}를 불러오는 데 {exc.seconds:g}초가 넘게 걸렸습니다 (파일 맨 바깥의 반복문을 확인하세요)."
        return Status.TIMEOUT, f"시간 초과: {func}이(가) {exc.seconds:g}초 안에 끝나지 않았습니다. 무한 루프가 없는지 확인하세요."
    if isinstance(exc, StudentMemoryError):
        limit = f"({limits.memory_mb} MB)" if limits else ""
        return Status.MEMORY, f"메모리 초과: {func}이(가) 메모리 제한{limit}을 넘었습니다. 너무 큰 배열을 만들지 않았는지 확인하세요."
    if isinstance(exc, StudentCodeError):
        return Status.ERROR, _code_error_message(exc, func, module, limits)
    if isinstance(exc, StudentCrash):
        return Status.ERROR, (f"{func}을(를) 실행하던 프로세스가 비정상 종료되었습니다. os._exit, 무한 재귀 등 "
                       "프로그램을 멈추게 하는 코드가 없는지 확인하세요.")
    if isinstance(exc, StudentDiskError):
        return Status.ERROR, (f"작업 폴더에 파일을 너무 많이 썼습니다 (제한 {exc.megabytes} MB). "
                       "과제 함수에서는 파일을 만들지 말고 계산만 하세요.")
    if isinstance(exc, StudentError):
        return Status.ERROR, f"{func} 실행 중 문제가 생겼습니다."
    if isinstance(exc, GraderFault):
        return Status.INTERNAL, "채점기 문제로 이 테스트를 실행하지 못했습니다 (제출한 코드의 잘못이 아닙니다). 다시 채점합니다."
    return Status.INTERNAL, "채점기 내부 오류입니다. 이 테스트는 점수를 받지 못했습니다. 조교에게 알려 주세요."


def unreadable(func: str) -> str:
    """A test could not judge what ``func`` returned or left in its arguments (it runs with the reference)."""
    return (f"{func}이(가) 돌려준 값이나 바꿔 놓은 인수(params 등)를 채점기가 검사할 수 없었습니다. 과제 설명에 적힌 "
            "형태(숫자, numpy 배열, 배열의 딕셔너리)로 돌려주세요.")


def _code_error_message(exc: StudentCodeError, func: str, module: str, limits=None) -> str:
    kind, text = exc.kind, exc.message
    if kind == "OSError" and "File too large" in text:
        limit = f" (제한 {limits.output_kb} KB)" if limits else ""
        return f"출력이 너무 많습니다{limit}. {func}에서 print로 출력하는 양을 줄이세요."
    if kind == "MissingFunction":
        return f"{module}에 {text} 함수가 없습니다. 함수 이름을 바꾸지 마세요."
    if kind == "ModuleNotFoundError" and exc.during_import and text.startswith("exercises/"):
        return f"{text} 파일이 없습니다."
    if kind == "ModuleNotFoundError" and exc.module.split(".")[0] in BOOK_FOLDERS:
        return (f"교재 저장소의 {exc.module.split('.')[0]}/ 폴더(sys.path.append(os.pardir) 뒤에 가져오는 모듈)는 "
                "채점 환경에 없습니다. 필요한 함수는 exercises/ 안의 모듈에서 가져오거나(예: from .functions import "
                f"softmax) 이 파일에 직접 작성하세요.{_where(exc)}")
    if kind == "ModuleNotFoundError" and exc.module:
        return f"채점 환경에 없는 패키지입니다: {exc.module.split('.')[0]} (numpy만 쓰세요).{_where(exc)}"
    if kind == "EOFError" and "reading a line" in text:
        return ("input()으로 키보드 입력을 받을 수 없습니다: 채점할 때는 입력이 없습니다. 필요한 값은 함수의 인수로 "
                f"받으세요.{_where(exc)}")
    if kind == "RecursionError":
        return (f"무한 재귀: {func}이(가) 끝없이 자기 자신을 다시 호출했습니다 (RecursionError). 재귀를 멈추는 조건을 "
                f"확인하세요.{_where(exc)}")
    if kind == "NotImplementedError":
        return f"아직 구현하지 않았습니다: {module}의 {func} 함수를 완성하세요 (NotImplementedError)."
    if kind == "SystemExit":
        return f"{func}이(가) sys.exit()/exit()를 호출했습니다. 채점 중에는 프로그램을 끝내면 안 됩니다."
    if kind == "ReturnTypeError":
        return f"{func}의 반환값을 읽을 수 없습니다. 숫자나 numpy 배열(또는 그 튜플)을 반환하세요 ({text})."
    if kind == "MalformedReply":
        return (f"{func}을(를) 실행한 프로세스가 채점기가 읽을 수 없는 결과({text})를 보냈습니다. 학생 코드에서 "
                "sys.modules의 모듈(instances, wire 등)을 바꾸지 마세요.")
    if kind == "PermissionError" and "채점 환경" in text:
        return f"{text}. 과제 함수에서는 계산만 하세요."
    detail = f"{kind}: {text}" if text else kind
    if exc.during_import:
        return f"{module}를 불러오다가 오류가 났습니다: {detail}{_where(exc)}"
    return f"{func} 실행 중 오류가 났습니다: {detail}{_where(exc)}"
