"""손글씨 숫자 8×8 데이터 (UCI Optical Recognition of Handwritten Digits) 읽기.

**제공 모듈입니다. 고치지 마세요.** 데이터는 저장소의 ``data/digits.npz``에 들어
있어서 인터넷 없이 읽습니다. 출처와 라이선스(CC BY 4.0)는 ``data/README.md``에 있습니다.
"""

from pathlib import Path

import numpy as np

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "digits.npz"
"""데이터 파일의 위치: 저장소 맨 위의 ``data/digits.npz``."""

TEST_EVERY = 5
"""번호(0부터 셉니다)가 이 수의 배수인 이미지가 시험 데이터입니다."""


def load_digits(normalize=True, one_hot_label=False):
    """손글씨 숫자 이미지 1,797장을 훈련 데이터와 시험 데이터로 나누어 읽습니다.

    이미지 한 장은 8×8 칸이고, 칸마다 켜진 픽셀 수(0..16)가 들어 있습니다.
    한 장을 길이 64인 행 하나로 펼쳐서 돌려줍니다.

    나누는 방법은 고정되어 있습니다: 파일에 저장된 순서로 0, 1, 2, ... 번호를 붙였을 때
    **번호가 5의 배수인 이미지(0, 5, 10, ...) 360장이 시험 데이터**, 나머지 1,437장이
    훈련 데이터입니다. 두 쪽 모두 파일의 순서를 그대로 유지합니다. 무작위로 섞지 않으므로
    언제 읽어도 같은 결과가 나옵니다.

    인수
    ----------
    normalize : bool, optional
        ``True`` (기본값)이면 픽셀 값을 16으로 나눠 0.0..1.0으로 바꿉니다.
        ``False``이면 0.0..16.0 그대로 둡니다. 어느 쪽이든 자료형은 float64입니다.
    one_hot_label : bool, optional
        ``False`` (기본값)이면 정답을 클래스 번호(정수 0..9)로,
        ``True``이면 원-핫 배열(float64, 열 10개)로 돌려줍니다.

    반환값
    -------
    (x_train, t_train), (x_test, t_test) : tuple
        ``x_train``은 모양 (1437, 64), ``x_test``는 (360, 64)인 float64 배열입니다.
        ``t_train``, ``t_test``는 모양 (1437,), (360,)인 정수(int64) 배열이거나,
        ``one_hot_label=True``이면 (1437, 10), (360, 10)인 원-핫 배열입니다.

    예외
    -------
    FileNotFoundError
        ``data/digits.npz``가 없을 때 (한국어로 원인과 해결 방법을 알려 줍니다).

    예시
    --------
    >>> (x_train, t_train), (x_test, t_test) = load_digits()
    >>> x_train.shape, t_train.shape, x_test.shape, t_test.shape
    ((1437, 64), (1437,), (360, 64), (360,))
    >>> float(x_train.min()), float(x_train.max())
    (0.0, 1.0)
    >>> t_train[:8]                 # 번호 1, 2, 3, 4, 6, 7, 8, 9의 정답
    array([1, 2, 3, 4, 6, 7, 8, 9])
    >>> t_test[:4]                  # 번호 0, 5, 10, 15의 정답
    array([0, 5, 0, 5])
    >>> (_, t_train), _ = load_digits(one_hot_label=True)
    >>> t_train[0]
    array([0., 1., 0., 0., 0., 0., 0., 0., 0., 0.])
    """
    if not DATA_FILE.is_file():
        raise FileNotFoundError(
            f"데이터 파일 {DATA_FILE} 이(가) 없습니다. 이 파일은 저장소에 들어 있어야 합니다 "
            "(data/digits.npz). 저장소를 다시 내려받거나(git clone), 지웠다면 "
            "git checkout -- data/digits.npz로 되살리세요. 다른 폴더로 옮긴 exercises/ 만으로는 "
            "읽을 수 없습니다: exercises/ 와 data/ 가 같은 폴더 안에 있어야 합니다."
        )
    with np.load(DATA_FILE, allow_pickle=False) as archive:
        images = archive["images"]
        labels = archive["labels"]
    x = images.reshape(len(images), -1).astype(np.float64)
    if normalize:
        x /= 16.0
    t = labels.astype(np.int64)
    if one_hot_label:
        t = np.eye(10)[t]
    is_test = np.arange(len(x)) % TEST_EVERY == 0
    return (x[~is_test], t[~is_test]), (x[is_test], t[is_test])
