"""The textbook's worked examples (Deep Learning from Scratch, chapter 4).

Public checks use them, and the docs quote the values the reference computes
on them; the numbers themselves are never written down anywhere.
"""

import numpy as np

#: 10-class output where the network is right: class 2 gets 0.6.
Y_RIGHT = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
#: The same probabilities, but 0.6 goes to class 7: a wrong answer.
Y_WRONG = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
LABEL = 2
T_ONE_HOT = np.eye(10)[LABEL]

#: function_1(x) = 0.01x² + 0.1x, differentiated at x = 5 and x = 10.
DIFF_POINTS = (5.0, 10.0)
#: function_2(x) = x0² + x1², its gradient at three points.
GRADIENT_POINTS = (np.array([3.0, 4.0]), np.array([0.0, 2.0]), np.array([3.0, 0.0]))
#: Gradient descent on function_2 from (−3, 4) with η = 0.1 for 100 steps.
DESCENT_START = np.array([-3.0, 4.0])
DESCENT_LR = 0.1
DESCENT_STEPS = 100
