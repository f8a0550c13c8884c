"""DoodleAI training package: Quick, Draw! data -> model -> ONNX in models/.

Owns data loading, the model, training, evaluation and export (the ``dataset``, ``datacheck``,
``model``, ``train``, ``evaluate``, ``live``, ``grow`` and ``export`` modules and the ``python -m training``
CLI). Stroke drawings are rendered with ``doodle_raster``, the rasterizer package shared with the game
server; the server never imports this package. Keep this file free of imports, so that the CLI's
``--help`` and the torch-free data modules load without torch; only the training modules themselves
import torch.
"""
