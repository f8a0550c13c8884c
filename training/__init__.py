"""DoodleAI training package: Quick, Draw! data -> model -> ONNX in models/.

Owns data loading, the model, training, evaluation and export (the ``dataset``, ``datacheck``,
``model``, ``train``, ``evaluate`` and ``export`` modules and the ``python -m training`` CLI), plus
``raster``: the model's input contract (drawing -> 28x28), shared with the game server and mirrored in
web_client/src/raster.js.

This package must stay importable WITHOUT torch: the game server imports ``training.raster``. Keep this
file free of imports; only the training modules themselves may import torch.
"""
