package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/** The documents of the embedded store's collections, written into H2 pages as BSON. */
final class BsonDocumentType extends BasicDataType<Document> {

  static final BsonDocumentType INSTANCE = new BsonDocumentType();

  private BsonDocumentType() {}

  @Override
  public int getMemory(Document document) {
    // an estimate for H2's cache: a document costs several times its BSON size on the heap
    return 128 + 96 * document.size();
  }

  @Override
  public void write(WriteBuffer out, Document document) {
    ByteBuf buffer = BsonValues.buffer();
    BsonEncoder.encodeDocument(document, buffer);
    BsonValues.copy(buffer, out);
  }

  @Override
  public Document read(ByteBuffer in) {
    ByteBuf buffer = Unpooled.wrappedBuffer(in.duplicate());
    Document document = BsonDecoder.decodeBson(buffer);
    in.position(in.position() + buffer.readerIndex());
    return document;
  }

  @Override
  public Document[] createStorage(int size) {
    return new Document[size];
  }
}
